import { type ReactNode, useState } from 'react'
import { errorMessage } from '../lib/api'
import { Dialog } from './Dialog'
import { ErrorMessage } from './ErrorMessage'

interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm: () => Promise<void>
  onClose: () => void
}

/** Asks before a destructive action; Cancel comes first so it is the focused default. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const confirm = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await onConfirm()
      onClose()
    } catch (failure) {
      setError(failure)
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      closeLabel="Cancel"
      actions={
        <button type="button" className="button danger" onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      }
    >
      {children}
      {error === undefined ? null : <ErrorMessage>{errorMessage(error)}</ErrorMessage>}
    </Dialog>
  )
}
