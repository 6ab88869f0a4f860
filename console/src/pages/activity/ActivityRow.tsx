import { useId, useState } from 'react'
import { ChangesTable } from '../../components/ChangesTable'
import { Link } from '../../components/Link'
import { OperationBadge } from '../../components/OperationBadge'
import { StatusBadge } from '../../components/StatusBadge'
import { formatDateTime } from '../../lib/format'
import type { ActivityItem } from '../../lib/types'

/** One SCIM write; its own tbody so the expanded changes row stays next to it. */
export function ActivityRow({ item, fresh }: { item: ActivityItem; fresh: boolean }) {
  const [open, setOpen] = useState(false)
  const detailsId = useId()
  // A refused create has no resource yet: then the error says what was wrong.
  const name = item.resourceName || item.resourceId || (item.outcome === 'failure' ? 'not created' : '—')
  return (
    <tbody className={fresh ? 'fresh' : undefined}>
      <tr className={open ? 'open' : undefined}>
        <td className="expander">
          <button
            type="button"
            className="icon-button"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} changes of ${item.operation} ${name}`}
            onClick={() => setOpen((value) => !value)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        </td>
        <td className="nowrap">
          <time dateTime={item.at}>{formatDateTime(item.at, { seconds: true })}</time>
        </td>
        <td>
          <OperationBadge operation={item.operation} />
        </td>
        <td>
          {item.resourceType === 'User' && item.operation !== 'delete' && item.resourceId ? (
            <Link href={`/employees/${encodeURIComponent(item.resourceId)}`}>{name}</Link>
          ) : (
            <span>{name}</span>
          )}
          <span className="muted small"> {item.resourceType}</span>
        </td>
        <td>{item.token?.name ?? '—'}</td>
        <td>
          {item.outcome === 'success' ? (
            <StatusBadge tone="good">{`Success ${item.status}`}</StatusBadge>
          ) : (
            <StatusBadge tone="bad">{`Failed ${item.status}`}</StatusBadge>
          )}
        </td>
        <td className="muted">
          {item.outcome === 'failure' && item.detail ? (
            <span className="clip" title={item.detail}>
              {item.detail}
            </span>
          ) : (
            item.changes.length
          )}
        </td>
      </tr>
      {open ? (
        <tr className="details" id={detailsId}>
          <td />
          <td colSpan={6}>
            {item.detail ? <p className="error-detail">{item.detail}</p> : null}
            <ChangesTable changes={item.changes} />
            <p className="muted small">
              Resource id <code>{item.resourceId}</code>
              {item.requestId ? (
                <>
                  {' '}
                  · request <code>{item.requestId}</code>
                </>
              ) : null}{' '}
              · #{item.seq}
            </p>
          </td>
        </tr>
      ) : null}
    </tbody>
  )
}
