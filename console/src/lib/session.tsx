import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api'
import type { Role, Session } from './types'

interface SessionState {
  session: Session | null
  /** Why the last probe failed (other than 401, which redirects to /login). */
  probeError: unknown
  /** Asks the server who is signed in (a 401 sends the browser to /login). */
  probe: () => void
  signedIn: (session: Session) => void
  signOut: () => Promise<void>
}

const SessionContext = createContext<SessionState | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null)
  const [probeError, setProbeError] = useState<unknown>(undefined)

  const signedIn = useCallback((next: Session) => {
    setCsrfToken(next.csrfToken)
    setSession(next)
  }, [])

  const forget = useCallback(() => {
    setCsrfToken(undefined)
    setSession(null)
  }, [])

  useEffect(() => setUnauthenticatedHandler(forget), [forget])

  const probe = useCallback(() => {
    setProbeError(undefined)
    api<Session>('/api/session').then(signedIn, (error: unknown) => {
      if (!(error instanceof ApiError && error.status === 401)) setProbeError(error)
    })
  }, [signedIn])

  const signOut = useCallback(async () => {
    try {
      await api<void>('/api/logout', { method: 'POST', allow401: true })
    } finally {
      forget()
    }
  }, [forget])

  const value = useMemo(
    () => ({ session, probeError, probe, signedIn, signOut }),
    [session, probeError, probe, signedIn, signOut],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionState {
  const state = useContext(SessionContext)
  if (state === null) throw new Error('useSession outside SessionProvider')
  return state
}

/** The signed-in session; only for pages rendered inside the signed-in layout. */
export function useSignedIn(): Session {
  const { session } = useSession()
  if (session === null) throw new Error('useSignedIn without a session')
  return session
}

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 }

export function atLeast(role: Role, wanted: Role): boolean {
  return RANK[role] >= RANK[wanted]
}
