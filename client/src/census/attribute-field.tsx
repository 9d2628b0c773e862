import { useTranslation } from 'react-i18next'
import type { FieldProblem, Lang, ModelType } from './form-model'
import { RelationField } from './relation-field'

type Attribute = ModelType['attributes'][number]

export interface AttributeFieldProps {
  attribute: Attribute
  value: string
  lang: Lang
  editable: boolean
  /** The checker's problem with the value, shown when the field was touched or a save was tried. */
  problem: FieldProblem | null
  /** The server's refusal of this attribute (INVALID_FEATURE), until the value changes. */
  serverError: string | null
  onChange(text: string): void
  /** Relations to census features: pick one on the map. */
  picking: boolean
  onPick(): void
  onCancelPick(): void
  idPrefix: string
}

/** The text of a problem in the UI language (the checker's own words when it is not one of the known kinds). */
export function useProblemText(): (p: FieldProblem) => string {
  const { t } = useTranslation()
  return (p) => (p.code === 'invalid' ? p.message : t(`census.validation.${p.code}`, p.params))
}

/** One attribute of the form, by kind: text, number with its unit, yes/no, date, code list, relation. */
export function AttributeField({ attribute: a, value, lang, editable, problem, serverError, onChange, picking, onPick, onCancelPick, idPrefix }: AttributeFieldProps) {
  const { t } = useTranslation()
  const problemText = useProblemText()
  const id = `${idPrefix}-${a.name}`
  const error = serverError ?? (problem ? problemText(problem) : null)
  const described = [error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ')
  const common = {
    id,
    name: a.name,
    disabled: !editable,
    'aria-invalid': error ? true : undefined,
    'aria-required': a.required ? true : undefined,
    'aria-describedby': described,
    'data-testid': `census-field-${a.name}`,
  }
  const range = a.min !== undefined && a.max !== undefined ? `${a.min}–${a.max}` : a.min !== undefined ? `≥ ${a.min}` : a.max !== undefined ? `≤ ${a.max}` : ''
  const hint = [a.unit && (a.kind === 'number' || a.kind === 'integer') ? `${range} ${a.unit}`.trim() : range, a.kind === 'integer' ? t('census.field.whole') : '', a.maxLength && a.kind === 'string' ? t('census.field.maxLength', { max: a.maxLength }) : '']
    .filter(Boolean)
    .join(' · ')

  let control
  switch (a.kind) {
    case 'code':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{a.required ? t('census.field.choose') : '—'}</option>
          {a.codes?.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label[lang]}
            </option>
          ))}
        </select>
      )
      break
    case 'boolean':
      control = (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          <option value="true">{t('census.field.yes')}</option>
          <option value="false">{t('census.field.no')}</option>
        </select>
      )
      break
    case 'date':
      control = <input {...common} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
      break
    case 'integer':
    case 'number':
      control = (
        <span className="census-number">
          <input {...common} inputMode={a.kind === 'integer' ? 'numeric' : 'decimal'} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
          {a.unit && <span className="census-unit">{a.unit}</span>}
        </span>
      )
      break
    case 'ref':
      control =
        a.ref?.kind === 'feature' ? (
          <RelationField common={common} value={value} collections={a.ref.collections} editable={editable} picking={picking} onChange={onChange} onPick={onPick} onCancelPick={onCancelPick} />
        ) : (
          <input {...common} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" placeholder={a.ref?.kind === 'device' ? t('census.field.devicePlaceholder') : t('census.field.lanePlaceholder')} />
        )
      break
    default:
      control = a.maxLength !== undefined && a.maxLength > 400 ? <textarea {...common} rows={3} value={value} onChange={(e) => onChange(e.target.value)} /> : <input {...common} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" />
  }

  return (
    <div className={`census-field${error ? ' has-error' : ''}`} data-attribute={a.name}>
      <label htmlFor={id}>
        {a.label[lang]}
        {a.required && (
          <span className="census-required" title={t('census.field.required')}>
            {' '}
            *<span className="sr-only"> {t('census.field.required')}</span>
          </span>
        )}
        {a.public === false && (
          <span className="badge census-badge census-internal" title={t('census.field.internalTitle')}>
            {t('census.field.internal')}
          </span>
        )}
      </label>
      {control}
      <span id={`${id}-hint`} className="muted small census-hint">
        <code>{a.name}</code>
        {hint && ` · ${hint}`}
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error" data-testid={`census-error-${a.name}`}>
          {error}
        </span>
      )}
    </div>
  )
}
