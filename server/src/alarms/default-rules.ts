/**
 * The rules a new Gemello starts with (ADR 0006), inserted once when the rule table is empty; from
 * then on they are the traffic engineers' to change (PUT /api/alarm-rules/:id, audited). Each says
 * why it fires, what follows if nobody acts and what the operator is expected to do (ISA-18.2), and
 * its priority follows the rationale of the ADR: high = safety or the whole city, medium = traffic that
 * needs action soon, low = one sensor.
 */
import { AlarmRuleSchema, type AlarmRule } from '../../../contracts/alarm-rules'

const DAYTIME = { days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '21:00' }

export const DEFAULT_RULES: readonly AlarmRule[] = [
  {
    id: 'ingest-down',
    name: 'No live data can arrive',
    type: 'ingest-down',
    priority: 'high',
    cause: 'The MQTT broker, the database or every ingest worker is down, so no device reading reaches the twin.',
    consequence: 'Every live view freezes and device alarms cannot be raised; the control room is blind until data flows again.',
    response: 'Call the on-call system administrator and follow the runbook in docs/operations; watch the cameras directly meanwhile.',
  },
  {
    id: 'signal-flashing',
    name: 'Signal controller flashing or off',
    type: 'state',
    metric: 'mode',
    in: ['flashing', 'off'],
    delayS: 10,
    priority: 'high',
    scope: { kinds: ['signal-controller'] },
    cause: 'The controller switched to flashing amber or off: a fault, a power cut or a manual switch on site.',
    consequence: 'The junction runs without signals: conflicting movements meet and queues build on every approach.',
    response: 'Check the junction camera, send the maintenance contractor and inform the municipal police to direct traffic.',
  },
  {
    id: 'gate-offline',
    name: 'ZTL gate or access point offline',
    type: 'offline',
    priority: 'medium',
    cause: 'A ZTL camera gate reports a fault or offline, or a connectivity device reports its link down.',
    consequence: 'Transits through the gate are not enforced or counted; a Wi-Fi area or a field network loses service.',
    response: 'Check the device status page; if the fault persists open a ticket with the maintainer and note it in the shift log.',
  },
  {
    id: 'loop-congestion',
    name: 'Congestion on a loop',
    type: 'congestion',
    occupancyPctAtLeast: 35,
    speedKmhAtMost: 15,
    delayS: 180,
    priority: 'low',
    cause: 'A loop measures high occupancy at low speed for three minutes: queued or stop-and-go traffic over it.',
    consequence: 'The queue may spill back into the upstream junction and spread to parallel roads.',
    response: 'Look at the neighbouring loops and the camera; if the queue grows, consider the signal plan or an incident.',
  },
  {
    id: 'loop-stuck',
    name: 'Traffic loop stuck',
    type: 'flatline',
    metric: 'flowVehH',
    windowS: 2700,
    priority: 'low',
    scope: { kinds: ['traffic-loop'], hours: DAYTIME },
    cause: 'A loop keeps reporting the same flow for 45 minutes in the daytime: the detector or its amplifier is stuck.',
    consequence: 'Its counts are wrong: dashboards, signal evaluation and scenarios calibrated on it are misled.',
    response: 'Open a maintenance ticket for the detector and mark its data as suspect; no traffic action is needed.',
  },
  {
    id: 'device-silent',
    name: 'Device silent',
    type: 'stale',
    k: 10,
    priority: 'low',
    cause: 'A device has sent nothing for ten times its reporting interval while the rest of the city reports.',
    consequence: 'Its part of the map shows old values; problems there go unseen.',
    response: 'Check the device’s power and network with the maintainer; note it in the shift log if it affects a corridor.',
  },
  {
    id: 'no2-hourly-limit',
    name: 'NO₂ hourly limit exceeded',
    type: 'air-quality',
    pollutant: 'no2',
    priority: 'low',
    cause: 'The hourly mean of NO₂ at a station is above 200 µg/m³, the limit value of D.Lgs. 155/2010.',
    consequence: 'A health limit is exceeded; more than 18 exceedances in a year breach the law.',
    response: 'Inform the environment office and ARPAE; check whether traffic measures of the air-quality plan apply.',
  },
  {
    id: 'pm10-daily-limit',
    name: 'PM10 daily limit exceeded',
    type: 'air-quality',
    pollutant: 'pm10',
    priority: 'low',
    cause: 'The daily mean of PM10 at a station is above 50 µg/m³, the limit value of D.Lgs. 155/2010.',
    consequence: 'A health limit is exceeded; more than 35 days in a year breach the law and can trigger emergency measures.',
    response: 'Inform the environment office; check whether the regional emergency measures (PAIR 2030) are triggered.',
  },
  {
    id: 'o3-information',
    name: 'O₃ information threshold',
    type: 'air-quality',
    pollutant: 'o3',
    priority: 'low',
    cause: 'The hourly mean of ozone at a station is above 180 µg/m³, the information threshold of D.Lgs. 155/2010.',
    consequence: 'Sensitive people are at risk; the public must be informed.',
    response: 'Inform the environment office and the communication office so that the public notice goes out.',
  },
].map((r) => AlarmRuleSchema.parse(r))
