import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import './panels.css'
import './control-room.css'

export interface DockedPanelProps {
  title: ReactNode
  closeLabel: string
  onClose(): void
  className?: string
  children: ReactNode
}

/**
 * A panel docked on the left of the map that stays open beside the device panel and the sheets (the
 * alarm list). Same look as SideSheet; Escape closes it only while focus is inside it, so one Escape
 * does not close every open panel.
 */
export function DockedPanel({ title, closeLabel, onClose, className, children }: DockedPanelProps) {
  const headingId = useId()
  const ref = useRef<HTMLElement>(null)
  useEffect(() => ref.current?.focus(), [])
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return
    e.stopPropagation()
    e.nativeEvent.stopImmediatePropagation()
    onClose()
  }
  return (
    <aside
      ref={ref}
      className={`side-sheet side-sheet-left side-sheet-wide docked-panel${className ? ` ${className}` : ''}`}
      aria-labelledby={headingId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="side-sheet-header">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={closeLabel} title={closeLabel}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="side-sheet-body">{children}</div>
    </aside>
  )
}
