/**
 * Which real services a test run uses. `npm test` runs integration tests on the embedded database
 * and broker; `npm run test:services` sets GEMELLO_TEST_TARGET=services and the same tests run on
 * PostgreSQL+PostGIS (TEST_DATABASE_URL, default the local `test` database) and Mosquitto (TEST_MQTT_URL).
 */
export const TEST_TARGET: 'embedded' | 'services' = process.env.GEMELLO_TEST_TARGET === 'services' ? 'services' : 'embedded'
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const TEST_MQTT_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883'
export const CITY_DATA_DIR = process.env.CITY_DATA_DIR ?? new URL('../../../shared/data', import.meta.url).pathname
