import { describe, expect, it } from 'vitest'
import { AlarmRuleSchema } from '../../../contracts/alarm-rules'
import { ruleProblems, scopeSummary } from './alarm-rules-panel'

const rule = AlarmRuleSchema.parse({
  id: 'peak-flow',
  name: 'Peak flow',
  type: 'threshold',
  metric: 'flowVehH',
  above: 1800,
  priority: 'low',
  cause: 'Flow above what the road carries.',
  consequence: 'Queues build back to the junction.',
  response: 'Check the camera and the signal plan.',
  scope: { kinds: ['traffic-loop'], area: { layer: 'quartieri', id: 'Navile' }, hours: { days: [1, 2, 3, 4, 5], from: '07:00', to: '09:30' } },
})
const t = (k: string, o?: Record<string, unknown>) => `${k}${o ? JSON.stringify(o) : ''}`

describe('alarm rules panel', () => {
  it('says where and when a rule applies', () => {
    expect(scopeSummary(rule, t)).toBe('kind.traffic-loop · alarmRules.scope.area{"area":"Navile"} · alarmRules.scope.hours{"days":"1,2,3,4,5","from":"07:00","to":"09:30"}')
  })
  it('checks an edited rule as the server will, and keeps its id', () => {
    expect(ruleProblems(JSON.stringify(rule), 'peak-flow')).toBeNull()
    expect(ruleProblems('{', 'peak-flow')?.[0]).toMatch(/^JSON:/)
    expect(ruleProblems(JSON.stringify({ ...rule, response: 'ok' }), 'peak-flow')).toEqual(['response: response: say it in a sentence (at least 10 characters)'])
    expect(ruleProblems(JSON.stringify({ ...rule, id: 'other' }), 'peak-flow')).toEqual(['id: must stay peak-flow'])
  })
})
