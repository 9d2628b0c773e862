// The estimator worker's entry (scenario-estimator.ts). Under `tsx` (npm start) the worker inherits
// the TypeScript loader from the process's flags; elsewhere (a test runner's child process) it
// registers tsx's loader itself. (A failed import stays failed for its URL: the retry asks for another.)
try {
  await import('./estimator-worker.ts')
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err
  const { register } = await import('tsx/esm/api')
  register()
  await import('./estimator-worker.ts?with-tsx')
}
