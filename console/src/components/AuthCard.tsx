import { type ReactNode, useEffect } from 'react'

/** The centred card of the signed-out pages (login, setup). */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Roster`
  }, [title])
  return (
    <main className="auth">
      <div className="auth-card">
        <div className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true">
            R
          </span>
          <span className="brand-name">Roster</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  )
}
