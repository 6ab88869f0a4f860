import { useId, useRef } from 'react'
import { CopyButton } from './CopyButton'

interface CopyFieldProps {
  label: string
  value: string
  hint?: string
  /** Wraps long values (tokens, links) so all of it is visible at once. */
  multiline?: boolean
}

/** A read-only value (a URL, a secret) with its label and a Copy button. */
export function CopyField({ label, value, hint, multiline }: CopyFieldProps) {
  const id = useId()
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const shared = {
    id,
    ref: field,
    className: 'input mono',
    readOnly: true,
    value,
    'data-autofocus': true,
    spellCheck: false,
    onFocus: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
      event.currentTarget.select(),
    'aria-describedby': hint === undefined ? undefined : `${id}-hint`,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className={multiline ? 'copy-field multiline' : 'copy-field'}>
        {multiline ? <textarea {...shared} rows={2} /> : <input {...shared} />}
        <CopyButton value={value} field={field} />
      </div>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  )
}
