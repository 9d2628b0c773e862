import { HOURS, hourText } from './hour-text'

/** A labelled choice of the hour of the day (00:00 … 23:00): the base, an edit's window, a SUMO run. */
export function HourSelect({ label, value, onChange, testId }: { label: string; value: number; onChange(hour: number): void; testId?: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {HOURS.map((h) => (
          <option key={h} value={h}>
            {hourText(h)}
          </option>
        ))}
      </select>
    </label>
  )
}
