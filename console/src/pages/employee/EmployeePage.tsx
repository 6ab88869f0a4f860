import { ErrorMessage } from '../../components/ErrorMessage'
import { Link } from '../../components/Link'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { StatusBadge } from '../../components/StatusBadge'
import { errorMessage } from '../../lib/api'
import { employeeName } from '../../lib/format'
import type { EmployeeDetail } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { HistoryList } from './HistoryList'
import { PeoplePanel } from './PeoplePanel'
import { ResourceView } from './ResourceView'

export function EmployeePage({ id }: { id: string }) {
  const loaded = useApi<{ employee: EmployeeDetail }>(`/api/employees/${encodeURIComponent(id)}`)
  if (loaded.error !== undefined) {
    return (
      <section>
        <PageHeader title="Employee" />
        <ErrorMessage>{errorMessage(loaded.error)}</ErrorMessage>
        <Link href="/employees">Back to employees</Link>
      </section>
    )
  }
  if (loaded.data === undefined) return <Loading />
  const employee = loaded.data.employee
  return (
    <section>
      <Link className="back-link" href="/employees">
        ← Employees
      </Link>
      <PageHeader title={employeeName(employee)}>
        {employee.active ? (
          <StatusBadge tone="good">Active</StatusBadge>
        ) : (
          <StatusBadge tone="muted">Disabled</StatusBadge>
        )}
      </PageHeader>
      <p className="subtitle">
        {[employee.title, employee.department].filter(Boolean).join(' · ') || employee.userName}
      </p>
      <div className="detail-grid">
        <div className="card">
          <h2>SCIM attributes</h2>
          <ResourceView resource={employee.resource} />
        </div>
        <div className="detail-side">
          <PeoplePanel
            title="Manager"
            people={employee.manager === null ? [] : [employee.manager]}
            empty="No manager."
          />
          <PeoplePanel title="Direct reports" people={employee.directReports} empty="No direct reports." />
          <div className="card">
            <h2>Groups</h2>
            {employee.groups.length === 0 ? (
              <p className="muted">Not in any group.</p>
            ) : (
              <ul className="plain-list">
                {employee.groups.map((group) => (
                  <li key={group.id}>{group.displayName}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
      <div className="card">
        <h2>Change history</h2>
        <HistoryList items={employee.history} />
      </div>
    </section>
  )
}
