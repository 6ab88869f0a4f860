import { useId } from 'react'
import type { AccessToken } from '../../lib/types'

export interface Filters {
  /** datetime-local values, in the browser's time zone */
  from: string
  to: string
  operation: string
  tokenId: string
  employee: string
  outcome: string
}

/** The filters as /api/activity (and the CSV export) take them; local times become ISO instants. */
export function filterParams(filters: Filters): Record<string, string | undefined> {
  return {
    from: toIso(filters.from),
    to: toIso(filters.to),
    operation: filters.operation || undefined,
    tokenId: filters.tokenId || undefined,
    employee: filters.employee.trim() || undefined,
    outcome: filters.outcome || undefined,
  }
}

function toIso(local: string): string | undefined {
  if (local === '') return undefined
  const date = new Date(local)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

interface ActivityFiltersProps {
  filters: Filters
  tokens: AccessToken[]
  onChange: (filters: Filters) => void
}

export function ActivityFilters({ filters, tokens, onChange }: ActivityFiltersProps) {
  const id = useId()
  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change })
  const empty = Object.values(filters).every((value) => value === '')
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">Filters</legend>
      <div className="field">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          className="input"
          value={filters.from}
          onChange={(event) => set({ from: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          className="input"
          value={filters.to}
          onChange={(event) => set({ to: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-op`}>Operation</label>
        <select
          id={`${id}-op`}
          className="input"
          value={filters.operation}
          onChange={(event) => set({ operation: event.target.value })}
        >
          <option value="">Any</option>
          <option value="create">Create</option>
          <option value="replace">Replace</option>
          <option value="patch">Update (PATCH)</option>
          <option value="delete">Delete</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-token`}>Token</label>
        <select
          id={`${id}-token`}
          className="input"
          value={filters.tokenId}
          onChange={(event) => set({ tokenId: event.target.value })}
        >
          <option value="">Any</option>
          {tokens.map((token) => (
            <option key={token.id} value={token.id}>
              {token.name}
              {token.status === 'revoked' ? ' (revoked)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-employee`}>Employee id</label>
        <input
          id={`${id}-employee`}
          className="input"
          value={filters.employee}
          spellCheck={false}
          onChange={(event) => set({ employee: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select
          id={`${id}-outcome`}
          className="input"
          value={filters.outcome}
          onChange={(event) => set({ outcome: event.target.value })}
        >
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </div>
      <div className="field-button">
        <button
          type="button"
          className="button"
          disabled={empty}
          onClick={() =>
            onChange({ from: '', to: '', operation: '', tokenId: '', employee: '', outcome: '' })
          }
        >
          Clear filters
        </button>
      </div>
    </fieldset>
  )
}
