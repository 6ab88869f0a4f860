import { Link } from '../../components/Link'
import { StatusBadge } from '../../components/StatusBadge'
import { employeeName, formatDateTime } from '../../lib/format'
import type { EmployeeSummary } from '../../lib/types'
import { SortHeader, type SortKey, type SortOrder } from './SortHeader'

interface EmployeeTableProps {
  employees: EmployeeSummary[]
  sort: SortKey
  order: SortOrder
  onSort: (sort: SortKey, order: SortOrder) => void
}

export function EmployeeTable({ employees, sort, order, onSort }: EmployeeTableProps) {
  const header = { sort, order, onSort }
  return (
    <div className="table-wrap">
      <table className="table stack rows-link">
        <thead>
          <tr>
            <SortHeader label="Name" column="name" {...header} />
            <SortHeader label="User name" column="userName" {...header} />
            <SortHeader label="Title" column="title" {...header} />
            <SortHeader label="Department" column="department" {...header} />
            <th scope="col">Manager</th>
            <th scope="col">Status</th>
            <SortHeader label="Last change" column="lastModified" {...header} />
          </tr>
        </thead>
        <tbody>
          {employees.length === 0 ? (
            <tr>
              <td colSpan={7} className="empty">
                No employees match.
              </td>
            </tr>
          ) : (
            employees.map((employee) => (
              <tr key={employee.id}>
                <th scope="row" data-label="Name">
                  {/* The link stretches over the whole row (CSS), so a click anywhere opens the detail. */}
                  <Link className="row-link" href={`/employees/${encodeURIComponent(employee.id)}`}>
                    {employeeName(employee)}
                  </Link>
                </th>
                <td data-label="User name" className="mono-small">
                  {employee.userName}
                </td>
                <td data-label="Title">{employee.title ?? '—'}</td>
                <td data-label="Department">{employee.department ?? '—'}</td>
                <td data-label="Manager">{employee.manager?.displayName ?? '—'}</td>
                <td data-label="Status">
                  {employee.active ? (
                    <StatusBadge tone="good">Active</StatusBadge>
                  ) : (
                    <StatusBadge tone="muted">Disabled</StatusBadge>
                  )}
                </td>
                <td data-label="Last change" className="nowrap">
                  {formatDateTime(employee.lastModified)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  )
}
