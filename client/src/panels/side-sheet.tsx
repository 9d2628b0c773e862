import { useEffect, useId, useRef, type ReactNode } from 'react'
import './panels.css'

export interface SideSheetProps {
  title: ReactNode
  closeLabel: string
  onClose(): void
  side: 'left' | 'right'
  wide?: boolean
  className?: string
  children: ReactNode
}

/** A panel over the map with a heading, a close button and Escape to close; focus moves to it on open. */
export function SideSheet({ title, closeLabel, onClose, side, wide, className, children }: SideSheetProps) {
  const headingId = useId()
  const ref = useRef<HTMLElement>(null)
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    ref.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCloseRef.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <aside
      ref={ref}
      className={`side-sheet side-sheet-${side}${wide ? ' side-sheet-wide' : ''}${className ? ` ${className}` : ''}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      tabIndex={-1}
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
