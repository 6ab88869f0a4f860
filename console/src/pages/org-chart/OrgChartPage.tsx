import { useCallback, useEffect, useRef, useState } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { api, errorMessage } from '../../lib/api'
import type { OrgItem } from '../../lib/types'
import { OrgBranch } from './OrgBranch'
import { OrgSearch } from './OrgSearch'
import { ZoomControls } from './ZoomControls'

/** Key of the roots in the children cache (real ids are never empty). */
const ROOTS = ''
/** People shown per level before "Show more": a manager of thousands must not freeze the page. */
export const BATCH = 50

export interface OrgTreeState {
  children: (id: string) => OrgItem[] | undefined
  isExpanded: (id: string) => boolean
  isLoading: (id: string) => boolean
  limit: (id: string) => number
  highlighted: string | null
  toggle: (item: OrgItem) => void
  showMore: (id: string) => void
}

/**
 * Reporting lines, loaded one level at a time from /api/org-chart: only expanded managers'
 * reports are ever fetched, so a 10,000-person directory costs what is on screen.
 */
export function OrgChartPage() {
  const cache = useRef(new Map<string, OrgItem[]>())
  const [, setVersion] = useState(0)
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const [loading, setLoading] = useState<ReadonlySet<string>>(new Set())
  const [limits, setLimits] = useState<Readonly<Record<string, number>>>({})
  const [highlighted, setHighlighted] = useState<string | null>(null)
  const [zoom, setZoom] = useState(1)
  const [error, setError] = useState<unknown>(undefined)

  const ensureChildren = useCallback(async (id: string): Promise<OrgItem[]> => {
    const cached = cache.current.get(id)
    if (cached !== undefined) return cached
    setLoading((current) => new Set(current).add(id))
    try {
      const path = id === ROOTS ? '/api/org-chart' : `/api/org-chart?manager=${encodeURIComponent(id)}`
      const { items } = await api<{ items: OrgItem[] }>(path)
      cache.current.set(id, items)
      setVersion((v) => v + 1)
      return items
    } finally {
      setLoading((current) => {
        const next = new Set(current)
        next.delete(id)
        return next
      })
    }
  }, [])

  useEffect(() => {
    ensureChildren(ROOTS).catch(setError)
  }, [ensureChildren])

  const toggle = useCallback(
    (item: OrgItem) => {
      if (expanded.has(item.id)) {
        setExpanded((current) => {
          const next = new Set(current)
          next.delete(item.id)
          return next
        })
        return
      }
      setExpanded((current) => new Set(current).add(item.id))
      ensureChildren(item.id).catch(setError)
    },
    [expanded, ensureChildren],
  )

  /** Expands every manager above `id`, makes sure it is within the shown batch, and highlights it. */
  const reveal = useCallback(
    async (id: string) => {
      setError(undefined)
      try {
        const { path } = await api<{ path: OrgItem[] }>(`/api/org-chart/path/${encodeURIComponent(id)}`)
        const wantLimits: Record<string, number> = {}
        let parent = ROOTS
        for (const item of path) {
          const siblings = await ensureChildren(parent)
          const index = siblings.findIndex((s) => s.id === item.id)
          if (index >= BATCH) wantLimits[parent] = Math.ceil((index + 1) / BATCH) * BATCH
          parent = item.id
        }
        const managers = path.slice(0, -1).map((item) => item.id)
        setLimits((current) => {
          const next = { ...current }
          for (const [key, value] of Object.entries(wantLimits))
            next[key] = Math.max(next[key] ?? BATCH, value)
          return next
        })
        setExpanded((current) => new Set([...current, ...managers]))
        setHighlighted(id)
      } catch (failure) {
        setError(failure)
      }
    },
    [ensureChildren],
  )

  useEffect(() => {
    if (highlighted === null) return
    const card = document.getElementById(`org-${highlighted}`)?.querySelector<HTMLElement>('.org-card')
    const viewport = card?.closest<HTMLElement>('.org-viewport')
    if (!card || !viewport) return
    // Scroll the chart's own viewport only (scrollIntoView would move the whole page too).
    const at = card.getBoundingClientRect()
    const box = viewport.getBoundingClientRect()
    viewport.scrollBy({
      top: at.top - box.top - (viewport.clientHeight - at.height) / 2,
      left: at.left - box.left - (viewport.clientWidth - at.width) / 2,
    })
    card.querySelector<HTMLElement>('.org-name')?.focus({ preventScroll: true })
  }, [highlighted])

  const tree: OrgTreeState = {
    children: (id) => cache.current.get(id),
    isExpanded: (id) => expanded.has(id),
    isLoading: (id) => loading.has(id),
    limit: (id) => limits[id] ?? BATCH,
    highlighted,
    toggle,
    showMore: (id) => setLimits((current) => ({ ...current, [id]: (current[id] ?? BATCH) + BATCH })),
  }
  const roots = cache.current.get(ROOTS)

  return (
    <section>
      <PageHeader title="Org chart" />
      <div className="toolbar">
        <OrgSearch onPick={(id) => void reveal(id)} />
        <div className="toolbar-end">
          <ZoomControls zoom={zoom} onZoom={setZoom} />
          <button
            type="button"
            className="button small"
            onClick={() => setExpanded(new Set())}
            disabled={expanded.size === 0}
          >
            Collapse all
          </button>
        </div>
      </div>
      {error === undefined ? null : <ErrorMessage>{errorMessage(error)}</ErrorMessage>}
      <section className="org-viewport" aria-label="Org chart">
        <div className="org-canvas" style={{ transform: `scale(${zoom})` }}>
          {roots === undefined ? (
            <Loading />
          ) : roots.length === 0 ? (
            <p className="empty">No employees yet.</p>
          ) : (
            <OrgBranch parent={ROOTS} items={roots} tree={tree} root />
          )}
        </div>
      </section>
    </section>
  )
}
