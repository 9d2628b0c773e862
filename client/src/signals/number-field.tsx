import { useEffect, useState, type InputHTMLAttributes } from 'react'

export interface NumberFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  value: number | null
  /** Called as you type, with every text that reads as a number (comma or point); null when emptied and `allowEmpty`. */
  onValue(value: number | null): void
  allowEmpty?: boolean
}

/** Parses "12", "12.5" and "12,5"; null for anything else. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(',', '.')
  if (!/^-?\d+(\.\d*)?$|^-?\.\d+$/.test(t)) return null
  const v = Number(t)
  return Number.isFinite(v) ? v : null
}

/**
 * A number input that edits as you type without fighting the keyboard: the text is kept while the
 * field has focus ("3." stays "3."), every valid number is passed on at once, and on blur the field
 * shows the value the plan holds.
 */
export function NumberField({ value, onValue, allowEmpty, onBlur, onFocus, ...rest }: NumberFieldProps) {
  const [text, setText] = useState(value === null ? '' : String(value))
  const [focused, setFocused] = useState(false)
  useEffect(() => {
    if (!focused) setText(value === null ? '' : String(value))
  }, [value, focused])
  const parsed = parseDecimal(text)
  return (
    <input
      {...rest}
      type="text"
      inputMode="decimal"
      value={text}
      aria-invalid={text.trim() !== '' && parsed === null ? true : rest['aria-invalid']}
      onFocus={(e) => {
        setFocused(true)
        onFocus?.(e)
      }}
      onBlur={(e) => {
        setFocused(false)
        setText(value === null ? '' : String(value))
        onBlur?.(e)
      }}
      onChange={(e) => {
        const next = e.target.value
        setText(next)
        const v = parseDecimal(next)
        if (v !== null) onValue(v)
        else if (next.trim() === '' && allowEmpty) onValue(null)
      }}
    />
  )
}
