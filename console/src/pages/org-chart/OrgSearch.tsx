import { useId, useState } from 'react'
import { query } from '../../lib/api'
import { employeeName } from '../../lib/format'
import type { EmployeePage } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useDebounced } from '../../lib/use-debounced'

/** Finds a person with /api/employees?q= and hands their id to the chart to reveal. */
export function OrgSearch({ onPick }: { onPick: (id: string) => void }) {
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const q = useDebounced(text.trim(), 250)
  const id = useId()
  const results = useApi<EmployeePage>(q === '' ? null : `/api/employees${query({ q, pageSize: 8 })}`)
  const items = q === '' ? [] : (results.data?.items ?? [])

  return (
    <div className="org-search">
      <div className="field">
        <label htmlFor={id}>Find a person</label>
        <input
          id={id}
          type="search"
          className="input"
          placeholder="Name or user name"
          value={text}
          onChange={(event) => {
            setText(event.target.value)
            setOpen(true)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false)
          }}
          aria-controls={`${id}-results`}
        />
      </div>
      {open && q !== '' ? (
        <ul className="search-results" id={`${id}-results`} aria-label="Matching people">
          {items.length === 0 && !results.loading ? <li className="muted">No one matches.</li> : null}
          {items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                className="search-result"
                onClick={() => {
                  setOpen(false)
                  onPick(item.id)
                }}
              >
                <span>{employeeName(item)}</span>
                <span className="muted small">{item.title ?? item.userName}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
