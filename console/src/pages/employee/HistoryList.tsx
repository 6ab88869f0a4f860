import { ChangesTable } from '../../components/ChangesTable'
import { OperationBadge } from '../../components/OperationBadge'
import { formatDateTime } from '../../lib/format'
import type { ActivityItem } from '../../lib/types'

/** This employee's SCIM writes, newest first, each with its changes old → new. */
export function HistoryList({ items }: { items: ActivityItem[] }) {
  if (items.length === 0) return <p className="muted">No recorded changes.</p>
  return (
    <ol className="history">
      {items.map((item) => (
        <li key={item.seq} className="history-item">
          <div className="history-head">
            <OperationBadge operation={item.operation} />
            <time dateTime={item.at}>{formatDateTime(item.at, { seconds: true })}</time>
            <span className="muted">by {item.token?.name ?? 'Roster'}</span>
            {item.outcome === 'failure' ? (
              <span className="badge badge-bad">
                Failed {item.status}
                {item.detail ? `: ${item.detail}` : ''}
              </span>
            ) : null}
          </div>
          <ChangesTable changes={item.changes} />
        </li>
      ))}
    </ol>
  )
}
