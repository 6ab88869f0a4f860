import { usePathname } from '../lib/router'
import { Link } from './Link'

const TABS = [
  { href: '/settings/tokens', label: 'Access tokens' },
  { href: '/settings/accounts', label: 'Accounts' },
]

/** The Settings sub-navigation (links, not ARIA tabs: each is its own page). */
export function SettingsTabs() {
  const pathname = usePathname()
  return (
    <nav className="subnav" aria-label="Settings">
      {TABS.map((tab) => (
        <Link key={tab.href} href={tab.href} aria-current={pathname === tab.href ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  )
}
