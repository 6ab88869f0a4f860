import type { ReactNode } from 'react'
import { useSignedIn } from '../lib/session'
import { NavBar } from './NavBar'
import { TopBar } from './TopBar'

/** The signed-in frame: top bar, navigation, and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const session = useSignedIn()
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar session={session} />
      <NavBar />
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
