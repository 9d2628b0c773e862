/** Messages between ScenarioEstimator (main thread) and its worker (estimator-worker.ts). */
import type { Scenario } from '../../../contracts/schemas/scenario'
import type { CalibrateInput, ModelInput } from './estimator-core'

export type EstimatorMethod = EstimatorRequest['method']

export type EstimatorRequest = { id: number } & (
  | { method: 'setModel'; input: ModelInput }
  | { method: 'calibrate'; input: CalibrateInput }
  | { method: 'estimate'; input: { key: string; scenario: Scenario; options: { version: number | null; hour: number; startedAtMs: number } } }
  | { method: 'drop'; input: { key: string } }
  | { method: 'clear'; input: null }
)

export type EstimatorReply =
  | { id: number; started: EstimatorMethod }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } }
