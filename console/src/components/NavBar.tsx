import { usePathname } from '../lib/router'
import { Link } from './Link'

const ITEMS = [
  { href: '/employees', label: 'Employees' },
  { href: '/org-chart', label: 'Org chart' },
  { href: '/activity', label: 'Provisioning activity' },
  { href: '/settings/tokens', label: 'Settings', section: '/settings' },
]

export function NavBar() {
  const pathname = usePathname()
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {ITEMS.map((item) => {
          const current = pathname.startsWith(item.section ?? item.href)
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={current ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
