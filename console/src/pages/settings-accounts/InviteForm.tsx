import { type FormEvent, useId, useState } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { TextField } from '../../components/TextField'
import { ApiError, api, errorMessage } from '../../lib/api'
import type { Role } from '../../lib/types'

interface InviteFormProps {
  role: Role
  onInvited: (email: string, setupUrl: string) => void
}

export function InviteForm({ role, onInvited }: InviteFormProps) {
  // Admins may invite viewers and admins; only owners may invite owners.
  const roles: Role[] = role === 'owner' ? ['viewer', 'admin', 'owner'] : ['viewer', 'admin']
  const [email, setEmail] = useState('')
  const [inviteRole, setInviteRole] = useState<Role>('viewer')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const roleId = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (email.trim() === '') {
      setError(new ApiError(400, 'invalidValue', 'Enter the email address to invite.', 'email'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const invited = await api<{ setupUrl: string }>('/api/accounts/invite', {
        method: 'POST',
        body: { email: email.trim(), role: inviteRole },
      })
      onInvited(email.trim(), invited.setupUrl)
      setEmail('')
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form inline-form" onSubmit={submit} noValidate>
      <TextField label="Email" name="inviteEmail" type="email" value={email} onChange={setEmail} required />
      <div className="field">
        <label htmlFor={roleId}>Role</label>
        <select
          id={roleId}
          className="input"
          value={inviteRole}
          onChange={(event) => setInviteRole(event.target.value as Role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="field-button">
        <button type="submit" className="button primary" aria-disabled={busy}>
          {busy ? 'Inviting…' : 'Create setup link'}
        </button>
      </div>
      {error === undefined ? null : <ErrorMessage>{errorMessage(error)}</ErrorMessage>}
    </form>
  )
}
