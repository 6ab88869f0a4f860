import { type FormEvent, useId, useState } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { TextField } from '../../components/TextField'
import { ApiError, api, errorMessage } from '../../lib/api'
import type { AccessToken, Scope } from '../../lib/types'

const CHOICES: { value: string; label: string; hint: string; scopes: Scope[] }[] = [
  {
    value: 'scim',
    label: 'Provisioning API',
    hint: 'SCIM 2.0, for Entra ID, Okta and other identity providers.',
    scopes: ['scim'],
  },
  {
    value: 'api',
    label: 'Public API',
    hint: 'Read-only access to the /api endpoints, for scripts and reports.',
    scopes: ['api'],
  },
  { value: 'both', label: 'Both', hint: 'One token for both of the above.', scopes: ['scim', 'api'] },
]

interface Created {
  token: AccessToken
  secret: string
}

export function NewTokenForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [choice, setChoice] = useState('scim')
  const [error, setError] = useState<unknown>(undefined)
  const [busy, setBusy] = useState(false)
  const descriptionId = useId()
  const legendId = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (name.trim() === '') {
      setError(new ApiError(400, 'invalidValue', 'Give the token a name.', 'name'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const scopes = CHOICES.find((c) => c.value === choice)?.scopes ?? ['scim']
      const created = await api<Created>('/api/tokens', {
        method: 'POST',
        body: { name: name.trim(), description: description.trim(), scopes },
      })
      setName('')
      setDescription('')
      setChoice('scim')
      onCreated(created)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const fieldError = (field: string) =>
    error instanceof ApiError && error.field === field ? error.message : undefined

  return (
    <form className="form token-form" onSubmit={submit} noValidate>
      <TextField
        label="Name"
        name="name"
        value={name}
        onChange={setName}
        maxLength={100}
        required
        placeholder="Microsoft Entra ID"
        error={fieldError('name')}
      />
      <div className="field">
        <label htmlFor={descriptionId}>Description</label>
        <textarea
          id={descriptionId}
          name="description"
          className="input"
          rows={2}
          maxLength={500}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          placeholder="What uses this token, and who to ask about it"
        />
      </div>
      <fieldset className="field choices" aria-describedby={legendId}>
        <legend>Scope</legend>
        <p className="hint" id={legendId}>
          What the token may call.
        </p>
        {CHOICES.map((option) => (
          <label key={option.value} className="choice">
            <input
              type="radio"
              name="scope"
              value={option.value}
              checked={choice === option.value}
              onChange={() => setChoice(option.value)}
            />
            <span>
              <span className="choice-label">{option.label}</span>
              <span className="hint">{option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error !== undefined && fieldError('name') === undefined ? (
        <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      ) : null}
      <div>
        <button type="submit" className="button primary" aria-disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  )
}
