import { useEffect, useId, useState } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { Pager } from '../../components/Pager'
import { errorMessage, query } from '../../lib/api'
import type { EmployeePage } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useDebounced } from '../../lib/use-debounced'
import { EmployeeTable } from './EmployeeTable'
import type { SortKey, SortOrder } from './SortHeader'

const PAGE_SIZE = 25
type StatusFilter = 'all' | 'active' | 'disabled'

interface ListState {
  q: string
  status: StatusFilter
  sort: SortKey
  order: SortOrder
  page: number
}

/** The list state lives in the query string too, so Back from a detail page returns to the same view. */
function readState(): ListState {
  const search = new URLSearchParams(window.location.search)
  const status = search.get('status')
  const sort = search.get('sort')
  return {
    q: search.get('q') ?? '',
    status: status === 'active' || status === 'disabled' ? status : 'all',
    sort:
      sort === 'userName' || sort === 'title' || sort === 'department' || sort === 'lastModified'
        ? sort
        : 'name',
    order: search.get('order') === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1),
  }
}

export function EmployeesPage() {
  const [state, setState] = useState<ListState>(readState)
  const q = useDebounced(state.q.trim(), 300)
  const searchId = useId()
  const statusId = useId()

  const params = {
    q,
    status: state.status === 'all' ? undefined : state.status,
    sort: state.sort === 'name' ? undefined : state.sort,
    order: state.order === 'asc' ? undefined : state.order,
    page: state.page === 1 ? undefined : state.page,
  }
  const search = query(params)
  useEffect(() => {
    window.history.replaceState(null, '', `/employees${search}`)
  }, [search])

  const list = useApi<EmployeePage>(`/api/employees${query({ ...params, pageSize: PAGE_SIZE })}`)
  const update = (change: Partial<ListState>) => setState((current) => ({ ...current, page: 1, ...change }))
  const pageCount = list.data === undefined ? 1 : Math.ceil(list.data.total / list.data.pageSize)

  return (
    <section>
      <PageHeader title="Employees" />
      <search className="toolbar">
        <div className="field grow">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            className="input"
            placeholder="Name, user name or email"
            value={state.q}
            onChange={(event) => update({ q: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            className="input"
            value={state.status}
            onChange={(event) => update({ status: event.target.value as StatusFilter })}
          >
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
      </search>
      {list.error === undefined ? null : <ErrorMessage>{errorMessage(list.error)}</ErrorMessage>}
      {list.data === undefined ? (
        list.loading ? (
          <Loading />
        ) : null
      ) : (
        <div className={list.loading ? 'card flush stale' : 'card flush'} aria-busy={list.loading}>
          <EmployeeTable
            employees={list.data.items}
            sort={state.sort}
            order={state.order}
            onSort={(sort, order) => update({ sort, order })}
          />
          <Pager
            page={list.data.page}
            pageCount={pageCount}
            total={list.data.total}
            noun={list.data.total === 1 ? 'employee' : 'employees'}
            onPage={(page) => setState((current) => ({ ...current, page }))}
          />
        </div>
      )}
    </section>
  )
}
