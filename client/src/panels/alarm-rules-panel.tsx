import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AlarmRuleRecord } from '../../../contracts/alarm-api'
import { AlarmRuleSchema, type AlarmRule } from '../../../contracts/alarm-rules'
import { allowed, useServices } from '../app/services'
import { PRIORITY_STYLE } from '../state/alarm-style'
import { SideSheet } from './side-sheet'
import { useFormatters } from './use-formatters'
import './alarm-rules.css'
import { ruleTexts } from '../state/alarm-text'

/** Where and when a rule applies, in words. */
export function scopeSummary(rule: AlarmRule, t: (k: string, o?: Record<string, unknown>) => string): string {
  const s = rule.scope
  const parts: string[] = []
  if (rule.type === 'congestion' && rule.corridor) parts.push(t('alarmRules.scope.corridor', { n: rule.corridor.deviceIds.length, min: rule.corridor.minLoops }))
  if (s.kinds) parts.push(s.kinds.map((k) => t(`kind.${k}`)).join(', '))
  if (s.deviceIds) parts.push(t('alarmRules.scope.devices', { count: s.deviceIds.length }))
  if (s.area) parts.push(t('alarmRules.scope.area', { area: s.area.id }))
  if (s.hours) parts.push(t('alarmRules.scope.hours', { days: s.hours.days.join(','), from: s.hours.from, to: s.hours.to }))
  return parts.length > 0 ? parts.join(' · ') : t('alarmRules.scope.everywhere')
}

/** Problems of an edited rule document, per field, or null when it validates. */
export function ruleProblems(text: string, id: string): string[] | null {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    return [`JSON: ${(err as Error).message}`]
  }
  const r = AlarmRuleSchema.safeParse(doc)
  if (!r.success) return r.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`)
  if (r.data.id !== id) return [`id: must stay ${id}`]
  return null
}

/**
 * The alarm rules (ADR 0006): what each raises, where and when, with its cause, consequence and the
 * operator's expected response. Traffic engineers and administrators (alarm:configure) enable, disable
 * and edit them; every change is versioned and audited on the server.
 */
export function AlarmRulesPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation()
  const fmt = useFormatters()
  const { api, session } = useServices()
  const canEdit = allowed(session, 'alarm:configure')
  const [rules, setRules] = useState<AlarmRuleRecord[]>([])
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(() => {
    api.listAlarmRules().then(setRules, (err: unknown) => setError(err instanceof Error ? err.message : String(err)))
  }, [api])
  useEffect(load, [load])

  const save = (rule: AlarmRule) => {
    setBusy(true)
    setError(null)
    api
      .putAlarmRule(rule)
      .then(() => {
        setEditing(null)
        load()
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setBusy(false))
  }
  const problems = editing ? ruleProblems(editing.text, editing.id) : null

  return (
    <SideSheet title={t('alarmRules.title')} closeLabel={t('alarmRules.close')} onClose={onClose} side="right" wide className="alarm-rules-panel">
      {!canEdit && <p className="muted">{t('access.needs', { roles: t('alarmRules.editors') })}</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <ul className="rule-list">
        {rules.map(({ rule, version, updatedBy, updatedAtMs }) => ({ rule, version, updatedBy, updatedAtMs, texts: ruleTexts(rule, i18n.language) })).map(({ rule, version, updatedBy, updatedAtMs, texts }) => (
          <li key={rule.id} data-rule={rule.id} className={rule.enabled ? undefined : 'is-disabled'}>
            <h3>
              <span className="priority-glyph" style={{ color: `var(${PRIORITY_STYLE[rule.priority].cssVar})` }} aria-hidden="true">
                {PRIORITY_STYLE[rule.priority].glyph}
              </span>{' '}
              {texts.name} <small className="muted">{t(`alarmRules.priority.${rule.priority}`)} · {t(`alarmRules.type.${rule.type}`)}</small>
              {!rule.enabled && <small className="muted"> · {t('alarmRules.disabled')}</small>}
            </h3>
            <p className="muted">{scopeSummary(rule, t)}</p>
            <dl className="rule-texts">
              <dt>{t('alarmRules.cause')}</dt>
              <dd>{texts.cause}</dd>
              <dt>{t('alarmRules.consequence')}</dt>
              <dd>{texts.consequence}</dd>
              <dt>{t('alarmRules.response')}</dt>
              <dd>{texts.response}</dd>
            </dl>
            <p className="muted">{t('alarmRules.version', { version, by: updatedBy, at: fmt.dateTime(updatedAtMs) })}</p>
            <div className="button-row">
              <button type="button" disabled={!canEdit || busy} onClick={() => save({ ...rule, enabled: !rule.enabled })}>
                {rule.enabled ? t('alarmRules.disable') : t('alarmRules.enable')}
              </button>
              <button type="button" disabled={!canEdit || busy} onClick={() => setEditing({ id: rule.id, text: JSON.stringify(rule, null, 2) })}>
                {t('alarmRules.edit')}
              </button>
            </div>
            {editing?.id === rule.id && (
              <form
                className="rule-editor"
                onSubmit={(e) => {
                  e.preventDefault()
                  if (!problems) save(AlarmRuleSchema.parse(JSON.parse(editing.text)))
                }}
              >
                <label>
                  {t('alarmRules.document')}
                  <textarea rows={16} spellCheck={false} value={editing.text} onChange={(e) => setEditing({ id: rule.id, text: e.target.value })} aria-invalid={problems !== null} />
                </label>
                {problems && (
                  <ul className="error-text" role="alert">
                    {problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                )}
                <div className="button-row">
                  <button type="submit" disabled={problems !== null || busy}>
                    {t('alarmRules.save')}
                  </button>
                  <button type="button" onClick={() => setEditing(null)}>
                    {t('alarmRules.cancel')}
                  </button>
                </div>
              </form>
            )}
          </li>
        ))}
      </ul>
    </SideSheet>
  )
}
