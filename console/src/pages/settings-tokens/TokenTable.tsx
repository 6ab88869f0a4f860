import { RowDangerAction } from '../../components/RowDangerAction'
import { StatusBadge } from '../../components/StatusBadge'
import { formatDateTime, formatScopes } from '../../lib/format'
import type { AccessToken } from '../../lib/types'

interface TokenTableProps {
  tokens: AccessToken[]
  canRevoke: boolean
  onRevoke: (token: AccessToken) => void
}

export function TokenTable({ tokens, canRevoke, onRevoke }: TokenTableProps) {
  if (tokens.length === 0) return <p className="empty">No access tokens yet.</p>
  return (
    <div className="table-wrap">
      <table className="table stack">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Scope</th>
            <th scope="col">Created by</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row" data-label="Name">
                {token.name}
              </th>
              <td data-label="Description" className="muted">
                {token.description || '—'}
              </td>
              <td data-label="Scope">{formatScopes(token.scopes)}</td>
              <td data-label="Created by">{token.createdBy?.displayName ?? 'Command line'}</td>
              <td data-label="Created" className="nowrap">
                {formatDateTime(token.createdAt)}
              </td>
              <td data-label="Last used" className="nowrap">
                {token.lastUsedAt === null ? 'Never' : formatDateTime(token.lastUsedAt)}
              </td>
              <td data-label="Status">
                {token.status === 'active' ? (
                  <StatusBadge tone="good">Active</StatusBadge>
                ) : (
                  <StatusBadge tone="muted">Revoked</StatusBadge>
                )}
              </td>
              <RowDangerAction
                show={canRevoke && token.status === 'active'}
                label="Revoke"
                accessibleLabel={`Revoke ${token.name}`}
                onClick={() => onRevoke(token)}
              />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
