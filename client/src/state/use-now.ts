import { useEffect, useState } from 'react'

/** The client clock, re-rendering every `periodMs` (ages and clocks on screen tick with it). */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs)
    return () => clearInterval(id)
  }, [periodMs])
  return now
}
