import { type RefObject, useState } from 'react'

interface CopyButtonProps {
  value: string
  /** The field showing the value: selected when the Clipboard API is unavailable. */
  field: RefObject<HTMLInputElement | HTMLTextAreaElement | null>
  label?: string
}

/** Copies with navigator.clipboard; otherwise selects the text so Ctrl+C / ⌘C works. */
export function CopyButton({ value, field, label = 'Copy' }: CopyButtonProps) {
  const [status, setStatus] = useState('')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setStatus('Copied to the clipboard.')
    } catch {
      const input = field.current
      input?.focus()
      input?.select()
      // execCommand is deprecated but is the only fallback on plain-http origins.
      const copied = typeof document.execCommand === 'function' && document.execCommand('copy')
      setStatus(copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy.')
    }
  }
  return (
    <>
      <button type="button" className="button" onClick={copy}>
        {label}
      </button>
      <span className="copy-status" role="status">
        {status}
      </span>
    </>
  )
}
