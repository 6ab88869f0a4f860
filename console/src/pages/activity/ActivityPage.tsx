import { useCallback, useEffect, useRef, useState } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { api, errorMessage, query } from '../../lib/api'
import type { AccessToken, ActivityItem, ActivityPage as Page } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { useDebounced } from '../../lib/use-debounced'
import { ActivityFilters, type Filters, filterParams } from './ActivityFilters'
import { ActivityTable } from './ActivityTable'

const LIMIT = 50
const POLL_MS = 2000

function initialFilters(): Filters {
  const search = new URLSearchParams(window.location.search)
  return { from: '', to: '', operation: '', tokenId: '', employee: search.get('employee') ?? '', outcome: '' }
}

export function ActivityPage() {
  const [filters, setFilters] = useState<Filters>(initialFilters)
  const params = query(filterParams(useDebounced(filters, 300)))
  const tokens = useApi<{ items: AccessToken[] }>('/api/tokens')
  const [items, setItems] = useState<ActivityItem[] | undefined>(undefined)
  const [nextBefore, setNextBefore] = useState<number | null>(null)
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set())
  const [live, setLive] = useState(false)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  // Answers for older filters must not land in the table of newer ones.
  const generation = useRef(0)
  const newest = useRef<number | null>(null)

  useEffect(() => {
    const mine = ++generation.current
    setItems(undefined)
    setError(undefined)
    api<Page>(`/api/activity${params}${params === '' ? '?' : '&'}limit=${LIMIT}`).then(
      (page) => {
        if (mine !== generation.current) return
        setItems(page.items)
        setNextBefore(page.nextBefore)
        newest.current = page.items[0]?.seq ?? null
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(failure)
      },
    )
  }, [params])

  const poll = useCallback(async () => {
    const mine = generation.current
    const after = newest.current ?? 0
    const page = await api<Page>(`/api/activity${params}${params === '' ? '?' : '&'}after=${after}&limit=100`)
    if (mine !== generation.current || page.items.length === 0) return
    const known = newest.current ?? 0
    const added = page.items.filter((item) => item.seq > known)
    if (added.length === 0) return
    newest.current = Math.max(known, ...added.map((item) => item.seq))
    setItems((current) => [...added.sort((a, b) => b.seq - a.seq), ...(current ?? [])])
    setFresh(new Set(added.map((item) => item.seq)))
  }, [params])

  useEffect(() => {
    if (!live) return
    let stopped = false
    let timer = 0
    const tick = async () => {
      try {
        await poll()
      } catch (failure) {
        setError(failure)
      }
      if (!stopped) timer = window.setTimeout(tick, POLL_MS)
    }
    timer = window.setTimeout(tick, POLL_MS)
    return () => {
      stopped = true
      window.clearTimeout(timer)
    }
  }, [live, poll])

  const loadMore = async () => {
    if (nextBefore === null) return
    const mine = generation.current
    setLoadingMore(true)
    try {
      const page = await api<Page>(
        `/api/activity${params}${params === '' ? '?' : '&'}before=${nextBefore}&limit=${LIMIT}`,
      )
      if (mine !== generation.current) return
      setItems((current) => [...(current ?? []), ...page.items])
      setNextBefore(page.nextBefore)
    } catch (failure) {
      setError(failure)
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <section>
      <PageHeader title="Provisioning activity">
        <button
          type="button"
          className={live ? 'button live on' : 'button live'}
          aria-pressed={live}
          onClick={() => setLive((on) => !on)}
        >
          <span className="live-dot" aria-hidden="true" />
          Live
        </button>
        <a className="button" href={`/api/activity.csv${params}`} download>
          Export CSV
        </a>
      </PageHeader>
      <ActivityFilters filters={filters} tokens={tokens.data?.items ?? []} onChange={setFilters} />
      {error === undefined ? null : <ErrorMessage>{errorMessage(error)}</ErrorMessage>}
      {items === undefined ? (
        error === undefined ? (
          <Loading />
        ) : null
      ) : (
        <div className="card flush">
          <ActivityTable items={items} fresh={fresh} />
          <div className="table-foot">
            {nextBefore === null ? (
              <span className="muted small">{items.length === 0 ? '' : 'That is everything.'}</span>
            ) : (
              <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  )
}
