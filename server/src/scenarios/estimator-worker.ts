/**
 * The estimator's worker thread (ADR 0009): an EstimatorCore answering the main thread's requests one
 * at a time. Each request is { id, method, input }; the worker says when it starts one (so callers can
 * show "calibrating…") and answers { id, ok, value } or { id, ok: false, error: { name, message } }.
 */
import { parentPort } from 'node:worker_threads'
import { EstimatorCore } from './estimator-core'
import type { EstimatorRequest, EstimatorReply } from './estimator-protocol'

const core = new EstimatorCore()
const port = parentPort
if (!port) throw new Error('estimator-worker.ts runs as a worker thread (scenario-estimator.ts starts it)')

port.on('message', (req: EstimatorRequest) => {
  port.postMessage({ id: req.id, started: req.method } satisfies EstimatorReply)
  let reply: EstimatorReply
  try {
    let value: unknown = null
    switch (req.method) {
      case 'setModel':
        core.setModel(req.input)
        break
      case 'calibrate':
        core.calibrate(req.input)
        break
      case 'estimate':
        value = core.estimate(req.input.key, req.input.scenario, req.input.options)
        break
      case 'drop':
        core.drop(req.input.key)
        break
      case 'clear':
        core.clear()
        break
    }
    reply = { id: req.id, ok: true, value }
  } catch (err) {
    const e = err as Error
    reply = { id: req.id, ok: false, error: { name: e.name, message: e.message } }
  }
  port.postMessage(reply)
})
