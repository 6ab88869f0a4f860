import { Link } from '../../components/Link'
import type { OrgItem } from '../../lib/types'
import { OrgBranch } from './OrgBranch'
import type { OrgTreeState } from './OrgChartPage'

/** A person's card and, when expanded, their direct reports. */
export function OrgNode({ item, tree }: { item: OrgItem; tree: OrgTreeState }) {
  const expanded = tree.isExpanded(item.id)
  const children = expanded ? tree.children(item.id) : undefined
  const highlighted = tree.highlighted === item.id
  const name = item.displayName || item.userName
  return (
    <li className="org-item" id={`org-${item.id}`}>
      <div
        className={highlighted ? 'org-card highlighted' : 'org-card'}
        aria-current={highlighted ? 'true' : undefined}
      >
        <div className="org-text">
          <Link className="org-name" href={`/employees/${encodeURIComponent(item.id)}`}>
            {name}
          </Link>
          <span className="org-title">{item.title ?? '—'}</span>
          {item.department ? <span className="org-dept">{item.department}</span> : null}
        </div>
        {item.reportCount > 0 ? (
          <button
            type="button"
            className="org-toggle"
            aria-expanded={expanded}
            aria-controls={expanded ? `org-children-${item.id}` : undefined}
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${name}'s ${item.reportCount} direct ${item.reportCount === 1 ? 'report' : 'reports'}`}
            onClick={() => tree.toggle(item)}
          >
            <span aria-hidden="true" className="org-chevron">
              {expanded ? '▾' : '▸'}
            </span>
            <span aria-hidden="true">{item.reportCount}</span>
          </button>
        ) : null}
      </div>
      {expanded ? (
        children === undefined ? (
          <p className="org-loading" role="status">
            {tree.isLoading(item.id) ? 'Loading…' : ''}
          </p>
        ) : (
          <OrgBranch parent={item.id} items={children} tree={tree} />
        )
      ) : null}
    </li>
  )
}
