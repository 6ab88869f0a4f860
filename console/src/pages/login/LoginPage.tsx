import { type FormEvent, useState } from 'react'
import { AuthCard } from '../../components/AuthCard'
import { ErrorMessage } from '../../components/ErrorMessage'
import { TextField } from '../../components/TextField'
import { ApiError, api, errorMessage } from '../../lib/api'
import { navigate } from '../../lib/router'
import { useSession } from '../../lib/session'
import type { Session } from '../../lib/types'

/** Only same-site paths are followed after login, never an absolute URL from the query. */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next')
  if (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next
  return '/employees'
}

export function LoginPage() {
  const search = new URLSearchParams(window.location.search)
  const { signedIn } = useSession()
  const [tenant, setTenant] = useState(search.get('tenant') ?? '')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const session = await api<Session>('/api/login', {
        method: 'POST',
        body: { tenant: tenant.trim(), email: email.trim(), password },
        allow401: true,
      })
      signedIn(session)
      navigate(nextPath(search), { replace: true })
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'The tenant, email or password is not right.'
          : errorMessage(failure),
      )
      setBusy(false)
    }
  }

  return (
    <AuthCard title="Sign in">
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label="Tenant"
          name="tenant"
          value={tenant}
          onChange={setTenant}
          autoComplete="organization"
          autoCapitalize="none"
          spellCheck={false}
          required
          hint="Your company's short name in Roster, e.g. acme."
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
        />
        {error === undefined ? null : <ErrorMessage>{error}</ErrorMessage>}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="hint auth-foot">
        No account yet? Ask an owner of your tenant for a setup link, or run{' '}
        <code>roster tenant setup-link &lt;tenant&gt;</code> on the server.
      </p>
    </AuthCard>
  )
}
