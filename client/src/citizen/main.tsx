/**
 * The citizen pages (/cittadini/): Designers Italia's look through Bootstrap Italia, Italian and
 * English, their own small bundle beside the operations center (no Cesium, no deck.gl).
 *
 * zod is configured before any schema module runs: the rest is imported only after (ES modules run
 * their imports before their own body, so a static import of the pages could build schemas first and
 * zod would try eval, which the Content-Security-Policy refuses and reports).
 */
import '../app/csp-zod'

void import('./citizen-boot')
