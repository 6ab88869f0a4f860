import { useState } from 'react'
import { navigate } from '../lib/router'
import { useSession } from '../lib/session'
import type { Session } from '../lib/types'

export function TopBar({ session }: { session: Session }) {
  const { signOut } = useSession()
  const [leaving, setLeaving] = useState(false)
  const logout = async () => {
    setLeaving(true)
    try {
      await signOut()
    } finally {
      navigate(`/login?tenant=${encodeURIComponent(session.tenant.slug)}`, { replace: true })
    }
  }
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          R
        </span>
        <span className="brand-name">Roster</span>
        <span className="tenant-name" title={`Tenant ${session.tenant.slug}`}>
          {session.tenant.name}
        </span>
      </div>
      <div className="account">
        <span className="account-name">
          {session.account.displayName}
          <span className="account-role">{session.account.role}</span>
        </span>
        <button type="button" className="button small" onClick={logout} disabled={leaving}>
          Log out
        </button>
      </div>
    </header>
  )
}
