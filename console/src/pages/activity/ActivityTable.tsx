import type { ActivityItem } from '../../lib/types'
import { ActivityRow } from './ActivityRow'

export function ActivityTable({ items, fresh }: { items: ActivityItem[]; fresh: ReadonlySet<number> }) {
  if (items.length === 0) return <p className="empty">No provisioning activity matches.</p>
  return (
    <div className="table-wrap">
      <table className="table activity">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
            <th scope="col">Time</th>
            <th scope="col">Operation</th>
            <th scope="col">Resource</th>
            <th scope="col">Token</th>
            <th scope="col">Outcome</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        {items.map((item) => (
          <ActivityRow key={item.seq} item={item} fresh={fresh.has(item.seq)} />
        ))}
      </table>
    </div>
  )
}
