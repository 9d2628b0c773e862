import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import type { Store } from '../state/store'
import './panels.css'
import './map-cover-sheet.css'

export interface MapCoverSheetProps<S extends { coverRightPx: number }> {
  title: ReactNode
  closeLabel: string
  onClose(): void
  /** Asked before closing (unsaved changes); false keeps the sheet open. */
  mayLeave?: () => boolean
  /** The map state told how many pixels on the right the sheet covers (`coverRightPx`). */
  channel: Store<S>
  className: string
  testId: string
  closeTestId: string
  children: ReactNode
}

const inField = (el: EventTarget) => el instanceof HTMLElement && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')

/**
 * A workspace sheet on the right that leaves the map usable (the scenario explorer, the census editor):
 * heading, close button, Escape (outside a field) closes; it reports its width to the maps.
 */
export function MapCoverSheet<S extends { coverRightPx: number }>({ title, closeLabel, onClose, mayLeave = () => true, channel, className, testId, closeTestId, children }: MapCoverSheetProps<S>) {
  const headingId = useId()
  const ref = useRef<HTMLElement>(null)

  useEffect(() => ref.current?.focus(), [])
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const report = () => {
      const parent = el.offsetParent as HTMLElement | null
      const right = parent ? parent.clientWidth - el.offsetLeft : el.offsetWidth
      channel.set((s) => (s.coverRightPx === right ? s : { ...s, coverRightPx: right }))
    }
    report()
    const observer = new ResizeObserver(report)
    observer.observe(el)
    return () => observer.disconnect()
  }, [channel])

  const close = () => mayLeave() && onClose()
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented || inField(e.target)) return
    e.stopPropagation()
    e.nativeEvent.stopImmediatePropagation()
    close()
  }
  return (
    <section ref={ref} className={`side-sheet side-sheet-right ${className}`} aria-labelledby={headingId} tabIndex={-1} onKeyDown={onKeyDown} data-testid={testId}>
      <header className="side-sheet-header">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="icon-button" onClick={close} aria-label={closeLabel} title={closeLabel} data-testid={closeTestId}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="side-sheet-body">{children}</div>
    </section>
  )
}
