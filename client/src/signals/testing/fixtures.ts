/**
 * Test data for the workbench's pure logic: the signal-safety test junction (contracts/signal-safety/
 * testing/signal-factories.ts — A main street, B side street, P pedestrian crossing of the side street;
 * A×B and B×P conflict) parsed into the stored shapes, with partial overrides.
 */
import { SignalControllerSchema, SignalPlanSchema, type SignalController, type SignalControllerInput, type SignalPlan, type SignalPlanInput } from '../../../../contracts/schemas/signal-plan'
import { junction, plan, type Row } from '../../../../contracts/signal-safety/testing/signal-factories'

export { BASE_ROWS, withRows, type Row } from '../../../../contracts/signal-safety/testing/signal-factories'

export const GROUP_IDS = ['A', 'B', 'P'] as const

export function controllerFixture(over: Partial<SignalControllerInput> = {}): SignalController {
  return SignalControllerSchema.parse(junction(over))
}

export function planFixture(rows?: Row[], over: Partial<SignalPlanInput> = {}): SignalPlan {
  return SignalPlanSchema.parse(plan(rows, over))
}
