import { useTranslation } from 'react-i18next'
import { PageLink, SignInBox } from './citizen-layout'
import { useCitizen } from './citizen-services'

export function HomePage() {
  const { t } = useTranslation()
  const { session } = useCitizen()
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {session.signedIn ? (
        <p className="d-flex flex-wrap gap-3">
          <PageLink to={{ page: 'report' }} className="btn btn-primary btn-lg">
            {t('home.report')}
          </PageLink>
          <PageLink to={{ page: 'mine' }} className="btn btn-outline-primary btn-lg">
            {t('home.mine')}
          </PageLink>
        </p>
      ) : (
        <div className="callout">
          <p>{t('signIn.hint')}</p>
          <div className="citizen-sign-in-main">
            <SignInBox returnTo="/cittadini/segnala" onPage />
          </div>
        </div>
      )}
      <section className="card card-bg no-after mt-5" aria-labelledby="home-opendata">
        <div className="card-body">
          <h2 id="home-opendata" className="h4 card-title">
            {t('home.opendata')}
          </h2>
          <p>{t('home.opendataText')}</p>
          <PageLink to={{ page: 'opendata' }} className="btn btn-outline-primary">
            {t('home.opendataLink')}
          </PageLink>
        </div>
      </section>
      <p className="mt-4">
        <a href="/open311/v2/openapi.json">{t('home.open311')}</a>
      </p>
    </>
  )
}

/** Shown in place of a page that needs the citizen's sign-in. */
export function SignInNeeded({ returnTo }: { returnTo: string }) {
  const { t } = useTranslation()
  return (
    <div className="alert alert-info" role="status">
      <p>{t('signIn.needed')}</p>
      <SignInBox returnTo={returnTo} onPage />
    </div>
  )
}
