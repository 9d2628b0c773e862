/** An hour of the day as the slider and the cards write it: 8 → "08:00". */
export const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`

export const HOURS: readonly number[] = Array.from({ length: 24 }, (_, h) => h)
