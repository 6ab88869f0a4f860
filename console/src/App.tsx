import { useEffect } from 'react'
import { ErrorMessage } from './components/ErrorMessage'
import { Layout } from './components/Layout'
import { Loading } from './components/Loading'
import { errorMessage } from './lib/api'
import { matchPath, navigate, usePathname } from './lib/router'
import { useSession } from './lib/session'
import { ActivityPage } from './pages/activity/ActivityPage'
import { EmployeePage } from './pages/employee/EmployeePage'
import { EmployeesPage } from './pages/employees/EmployeesPage'
import { LoginPage } from './pages/login/LoginPage'
import { NotFoundPage } from './pages/not-found/NotFoundPage'
import { OrgChartPage } from './pages/org-chart/OrgChartPage'
import { AccountsPage } from './pages/settings-accounts/AccountsPage'
import { TokensPage } from './pages/settings-tokens/TokensPage'
import { SetupPage } from './pages/setup/SetupPage'

export function App() {
  const pathname = usePathname()
  if (pathname === '/setup') return <SetupPage />
  if (pathname === '/login') return <LoginPage />
  return <SignedIn pathname={pathname} />
}

function SignedIn({ pathname }: { pathname: string }) {
  const { session, probe, probeError } = useSession()
  useEffect(() => {
    if (session === null) probe()
  }, [session, probe])
  useEffect(() => {
    if (pathname === '/' || pathname === '/settings')
      navigate(pathname === '/' ? '/employees' : '/settings/tokens', { replace: true })
  }, [pathname])
  if (session === null && probeError !== undefined) {
    return (
      <main className="main">
        <ErrorMessage>{errorMessage(probeError)}</ErrorMessage>
        <button type="button" className="button" onClick={probe}>
          Try again
        </button>
      </main>
    )
  }
  if (session === null) return <Loading label="Checking your session…" />
  return <Layout>{page(pathname)}</Layout>
}

function page(pathname: string) {
  switch (pathname) {
    case '/employees':
      return <EmployeesPage />
    case '/org-chart':
      return <OrgChartPage />
    case '/activity':
      return <ActivityPage />
    case '/settings/tokens':
      return <TokensPage />
    case '/settings/accounts':
      return <AccountsPage />
    case '/':
    case '/settings':
      return null
  }
  const employee = matchPath('/employees/:id', pathname)
  if (employee !== null) return <EmployeePage key={employee.id} id={employee.id!} />
  return <NotFoundPage />
}
