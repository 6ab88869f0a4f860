import { CopyField } from './CopyField'
import { Dialog } from './Dialog'

interface SecretDialogProps {
  title: string
  label: string
  value: string
  warning: string
  intro?: string
  onClose: () => void
}

/** Shows a value the server will never show again (a token, a setup link), focused and ready to copy. */
export function SecretDialog({ title, label, value, warning, intro, onClose }: SecretDialogProps) {
  return (
    <Dialog title={title} onClose={onClose} closeLabel="Done">
      {intro === undefined ? null : <p>{intro}</p>}
      <CopyField label={label} value={value} multiline />
      <p className="warning">
        <strong>Copy it now.</strong> {warning}
      </p>
    </Dialog>
  )
}
