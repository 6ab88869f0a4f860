import type { OrgItem } from '../../lib/types'
import type { OrgTreeState } from './OrgChartPage'
import { OrgNode } from './OrgNode'

interface OrgBranchProps {
  parent: string
  items: OrgItem[]
  tree: OrgTreeState
  root?: boolean
}

/** One level of the tree: the first batch of people, then a "Show more" button. */
export function OrgBranch({ parent, items, tree, root }: OrgBranchProps) {
  const limit = tree.limit(parent)
  const hidden = items.length - limit
  return (
    <ul className={root ? 'org-level org-root' : 'org-level'} id={`org-children-${parent || 'roots'}`}>
      {items.slice(0, limit).map((item) => (
        <OrgNode key={item.id} item={item} tree={tree} />
      ))}
      {hidden > 0 ? (
        <li className="org-more">
          <button type="button" className="button small" onClick={() => tree.showMore(parent)}>
            Show {Math.min(hidden, 50)} more of {hidden}
          </button>
        </li>
      ) : null}
    </ul>
  )
}
