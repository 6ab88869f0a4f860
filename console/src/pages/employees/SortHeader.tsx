export type SortKey = 'name' | 'userName' | 'title' | 'department' | 'lastModified'
export type SortOrder = 'asc' | 'desc'

interface SortHeaderProps {
  label: string
  column: SortKey
  sort: SortKey
  order: SortOrder
  onSort: (column: SortKey, order: SortOrder) => void
}

/** A column header whose button toggles the server-side sort; aria-sort tells screen readers the state. */
export function SortHeader({ label, column, sort, order, onSort }: SortHeaderProps) {
  const active = sort === column
  const ariaSort = active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(column, active && order === 'asc' ? 'desc' : 'asc')}
      >
        {label}
        <span className="sort-icon" aria-hidden="true">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  )
}
