import { type FormEvent, useState } from 'react'
import { AuthCard } from '../../components/AuthCard'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Link } from '../../components/Link'
import { Loading } from '../../components/Loading'
import { TextField } from '../../components/TextField'
import { ApiError, api, errorMessage } from '../../lib/api'
import { navigate } from '../../lib/router'
import { useSession } from '../../lib/session'
import type { Session, SetupInfo } from '../../lib/types'
import { useApi } from '../../lib/use-api'

const MIN_PASSWORD = 12

/** The code travels in the fragment, so it never reaches server logs or a Referer header. */
function codeFromFragment(): string {
  return decodeURIComponent(window.location.hash.replace(/^#/, ''))
}

export function SetupPage() {
  const [code] = useState(codeFromFragment)
  const link = useApi<SetupInfo>(code === '' ? null : `/api/setup/${encodeURIComponent(code)}`)

  if (code === '')
    return <SetupProblem message="This setup link is incomplete: the code after # is missing." />
  if (link.loading) {
    return (
      <AuthCard title="Set up your account">
        <Loading label="Checking your setup link…" />
      </AuthCard>
    )
  }
  if (link.error !== undefined || link.data === undefined) {
    const gone = link.error instanceof ApiError && (link.error.status === 410 || link.error.status === 404)
    return (
      <SetupProblem
        message={
          gone
            ? 'This setup link has already been used or has expired. Ask an owner for a new one.'
            : errorMessage(link.error)
        }
      />
    )
  }
  return <SetupForm code={code} info={link.data} />
}

function SetupProblem({ message }: { message: string }) {
  return (
    <AuthCard title="Set up your account">
      <ErrorMessage>{message}</ErrorMessage>
      <p>
        Already have an account? <Link href="/login">Sign in</Link>.
      </p>
    </AuthCard>
  )
}

function SetupForm({ code, info }: { code: string; info: SetupInfo }) {
  const { signedIn } = useSession()
  const [email, setEmail] = useState(info.email ?? '')
  const [displayName, setDisplayName] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<ApiError | Error | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (password.length < MIN_PASSWORD) {
      setError(new ApiError(400, 'invalidValue', `Use at least ${MIN_PASSWORD} characters.`, 'password'))
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const session = await api<Session>('/api/setup', {
        method: 'POST',
        body: { code, email: email.trim(), displayName: displayName.trim(), password },
        allow401: true,
      })
      signedIn(session)
      // The fragment held the one-time code: leave it out of the history.
      navigate('/settings/tokens', { replace: true })
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(errorMessage(failure)))
      setBusy(false)
    }
  }

  const fieldError = (field: string) =>
    error instanceof ApiError && error.field === field ? error.message : undefined
  const general = error !== undefined && !(error instanceof ApiError && error.field !== undefined)

  return (
    <AuthCard title="Set up your account">
      <p className="lead">
        You are joining <strong>{info.tenant.name}</strong> as <strong>{info.role}</strong>.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          readOnly={info.email !== null}
          required
          error={fieldError('email')}
        />
        <TextField
          label="Display name"
          name="displayName"
          value={displayName}
          onChange={setDisplayName}
          autoComplete="name"
          required
          error={fieldError('displayName')}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          minLength={MIN_PASSWORD}
          required
          hint={
            tooShort
              ? `${MIN_PASSWORD - password.length} more characters needed.`
              : `At least ${MIN_PASSWORD} characters.`
          }
          error={fieldError('password')}
        />
        {general ? <ErrorMessage>{error?.message}</ErrorMessage> : null}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  )
}
