import { type ReactNode, useEffect, useId, useRef } from 'react'

interface DialogProps {
  title: string
  onClose: () => void
  children: ReactNode
  /** Footer buttons; a Close button is added unless `hideClose`. */
  actions?: ReactNode
  closeLabel?: string
  hideClose?: boolean
}

/**
 * A modal `<dialog>`: mount it to open it. showModal() moves focus inside and makes the page
 * behind inert (so Tab stays in the dialog); Escape closes; focus goes back where it was.
 */
export function Dialog({ title, onClose, children, actions, closeLabel = 'Close', hideClose }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    const preferred = dialog.querySelector<HTMLElement>('[data-autofocus]')
    preferred?.focus()
    return () => {
      if (dialog.open) dialog.close()
      // The opener may be gone (a revoked token's button): then the page's main region takes focus.
      if (previous?.isConnected && !previous.matches(':disabled')) previous.focus()
      else document.getElementById('main')?.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React unmount the dialog so focus is restored in one place.
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        {/* Close/Cancel first: with no field to focus, the safe choice is the one focused. */}
        {hideClose ? null : (
          <button type="button" className="button" onClick={onClose}>
            {closeLabel}
          </button>
        )}
        {actions}
      </div>
    </dialog>
  )
}
