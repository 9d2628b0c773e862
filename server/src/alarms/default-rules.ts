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
    translations: {
      it: {
        name: 'Nessun dato in tempo reale può arrivare',
        cause: 'Il broker MQTT, il database o tutti i processi di acquisizione sono fermi: nessuna lettura dei dispositivi raggiunge il gemello.',
        consequence: 'Ogni vista in tempo reale si blocca e gli allarmi dei dispositivi non possono scattare: la sala è cieca finché i dati non tornano.',
        response: 'Chiama l’amministratore di sistema reperibile e segui la procedura di ripristino; nel frattempo controlla direttamente le telecamere.',
      },
    },
    name: 'No live data can arrive',
    type: 'ingest-down',
    priority: 'high',
    cause: 'The MQTT broker, the database or every ingest worker is down, so no device reading reaches the twin.',
    consequence: 'Every live view freezes and device alarms cannot be raised; the control room is blind until data flows again.',
    response: 'Call the on-call system administrator and follow the recovery runbook; watch the cameras directly meanwhile.',
  },
  {
    id: 'signal-flashing',
    translations: {
      it: {
        name: 'Impianto semaforico lampeggiante o spento',
        cause: 'Il regolatore è passato al giallo lampeggiante o si è spento: un guasto, un’interruzione di corrente o un comando manuale in campo.',
        consequence: 'L’incrocio funziona senza semaforo: le correnti in conflitto si incontrano e si formano code su ogni accesso.',
        response: 'Verifica con la telecamera dell’incrocio, invia il manutentore e avvisa la Polizia Locale per regolare il traffico.',
      },
    },
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
    id: 'signal-plan-not-deployed',
    translations: {
      it: {
        name: 'Piano semaforico non attivato',
        cause: 'Il regolatore ha rifiutato il piano inviato (impronta, firma o numero di sequenza non validi) oppure non ha confermato di averlo attivato entro 30 secondi, dopo quattro invii.',
        consequence: 'L’incrocio continua con il piano precedente, o con uno che il gemello non conosce: la modifica approvata non è in servizio e la mappa può non corrispondere alla strada.',
        response: 'Verifica lo stato e il collegamento del regolatore e leggi il motivo nell’elenco degli invii; reinvia o torna al piano precedente quando risponde. Se ha rifiutato impronta o firma, segnala una possibile manomissione al responsabile della sicurezza.',
      },
    },
    name: 'Signal plan not deployed',
    type: 'signal-deploy',
    priority: 'high',
    cause: 'The controller refused the plan sent to it (its hash, signature or sequence number did not verify) or did not confirm switching to it within 30 s, after four sends.',
    consequence: 'The junction keeps its previous plan, or one the twin does not know: the approved change is not in service and the map may not match the street.',
    response: 'Check the controller’s status and link and read the reason in its deployment list; deploy again or roll back once it answers. If it refused a hash or signature, report possible tampering to the security officer.',
  },
  {
    id: 'gate-offline',
    translations: {
      it: {
        name: 'Varco ZTL o punto di accesso fuori servizio',
        cause: 'Un varco ZTL segnala un guasto o è fuori linea, oppure un dispositivo di connettività segnala il collegamento interrotto.',
        consequence: 'I transiti dal varco non sono controllati né contati; un’area Wi-Fi o una rete di campo resta senza servizio.',
        response: 'Controlla lo stato del dispositivo; se il guasto persiste apri una segnalazione al manutentore e annotalo nel registro di turno.',
      },
    },
    name: 'ZTL gate or access point offline',
    type: 'offline',
    priority: 'medium',
    cause: 'A ZTL camera gate reports a fault or offline, or a connectivity device reports its link down.',
    consequence: 'Transits through the gate are not enforced or counted; a Wi-Fi area or a field network loses service.',
    response: 'Check the device status page; if the fault persists open a ticket with the maintainer and note it in the shift log.',
  },
  {
    id: 'loop-congestion',
    translations: {
      it: {
        name: 'Congestione su una spira',
        cause: 'Una spira misura occupazione alta a bassa velocità per tre minuti: traffico in coda o a singhiozzo sopra di essa.',
        consequence: 'La coda può risalire fino all’incrocio a monte ed estendersi alle strade parallele.',
        response: 'Guarda le spire vicine e la telecamera; se la coda cresce valuta il piano semaforico o apri una criticità.',
      },
    },
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
    translations: {
      it: {
        name: 'Spira bloccata',
        cause: 'Una spira riporta lo stesso flusso per 45 minuti in orario diurno: il rilevatore o il suo amplificatore è bloccato.',
        consequence: 'I suoi conteggi sono sbagliati: cruscotti, valutazioni semaforiche e scenari calibrati su di essa ne sono falsati.',
        response: 'Apri una segnalazione di manutenzione per il rilevatore e marca i suoi dati come sospetti; non serve alcun intervento sul traffico.',
      },
    },
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
    translations: {
      it: {
        name: 'Dispositivo silente',
        cause: 'Un dispositivo non invia nulla da dieci volte il suo intervallo di invio mentre il resto della città trasmette.',
        consequence: 'La sua parte di mappa mostra valori vecchi; i problemi in quella zona passano inosservati.',
        response: 'Verifica alimentazione e rete del dispositivo con il manutentore; annotalo nel registro di turno se riguarda un corridoio.',
      },
    },
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
    translations: {
      it: {
        name: 'Superato il limite orario di NO₂',
        cause: 'La media oraria di NO₂ in una stazione supera 200 µg/m³, il valore limite del D.Lgs. 155/2010.',
        consequence: 'Un limite sanitario è superato; oltre 18 superamenti in un anno violano la norma.',
        response: 'Informa l’ufficio ambiente e ARPAE; verifica se si applicano le misure sul traffico del piano per la qualità dell’aria.',
      },
    },
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
    translations: {
      it: {
        name: 'Superato il limite giornaliero di PM10',
        cause: 'La media giornaliera di PM10 in una stazione supera 50 µg/m³, il valore limite del D.Lgs. 155/2010.',
        consequence: 'Un limite sanitario è superato; oltre 35 giorni in un anno violano la norma e possono far scattare misure emergenziali.',
        response: 'Informa l’ufficio ambiente; verifica se scattano le misure emergenziali regionali (PAIR 2030).',
      },
    },
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
    translations: {
      it: {
        name: 'Soglia di informazione dell’O₃',
        cause: 'La media oraria di ozono in una stazione supera 180 µg/m³, la soglia di informazione del D.Lgs. 155/2010.',
        consequence: 'Le persone sensibili sono a rischio; la popolazione deve essere informata.',
        response: 'Informa l’ufficio ambiente e l’ufficio comunicazione perché l’avviso alla popolazione venga diffuso.',
      },
    },
    name: 'O₃ information threshold',
    type: 'air-quality',
    pollutant: 'o3',
    priority: 'low',
    cause: 'The hourly mean of ozone at a station is above 180 µg/m³, the information threshold of D.Lgs. 155/2010.',
    consequence: 'Sensitive people are at risk; the public must be informed.',
    response: 'Inform the environment office and the communication office so that the public notice goes out.',
  },
].map((r) => AlarmRuleSchema.parse(r))
