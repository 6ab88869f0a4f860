import { RowDangerAction } from '../../components/RowDangerAction'
import { formatDateTime } from '../../lib/format'
import type { Account, Role } from '../../lib/types'

const ROLES: Role[] = ['owner', 'admin', 'viewer']

interface AccountTableProps {
  accounts: Account[]
  selfId: string
  canManage: boolean
  onRoleChange: (account: Account, role: Role) => void
  onRemove: (account: Account) => void
}

export function AccountTable({ accounts, selfId, canManage, onRoleChange, onRemove }: AccountTableProps) {
  return (
    <div className="table-wrap">
      <table className="table stack">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id}>
              <th scope="row" data-label="Name">
                {account.displayName}
                {account.id === selfId ? <span className="muted"> (you)</span> : null}
              </th>
              <td data-label="Email">{account.email}</td>
              <td data-label="Role">
                {canManage ? (
                  <select
                    className="input compact"
                    aria-label={`Role of ${account.displayName}`}
                    value={account.role}
                    onChange={(event) => onRoleChange(account, event.target.value as Role)}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                ) : (
                  account.role
                )}
              </td>
              <td data-label="Created" className="nowrap">
                {formatDateTime(account.createdAt)}
              </td>
              <td data-label="Last sign-in" className="nowrap">
                {formatDateTime(account.lastLoginAt)}
              </td>
              <RowDangerAction
                show={canManage && account.id !== selfId}
                label="Remove"
                accessibleLabel={`Remove ${account.displayName}`}
                onClick={() => onRemove(account)}
              />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
