import type { FastifyInstance } from 'fastify'
import { notFound } from '../../console/console-error.js'
import { displayNameOf } from '../../directory/user-record.js'
import {
  findDirectReportNodes,
  findOrgNode,
  findRootNodes,
  type OrgNodeRow,
} from '../../store/org-chart-query.js'
import type { ApiOptions } from './api-context.js'
import { optionalText } from './request-input.js'

/** Deeper than any real organisation; stops a walk up a (corrupt) cycle of managers. */
const MAX_DEPTH = 200

function node(row: OrgNodeRow) {
  return {
    id: row.id,
    displayName: displayNameOf(row),
    userName: row.user_name,
    title: row.title,
    department: row.department,
    reportCount: Number(row.report_count),
  }
}

function byDisplayName(rows: OrgNodeRow[]) {
  const items = rows.map(node)
  const key = (item: { displayName: string; id: string }) =>
    `${item.displayName.toLowerCase()}\u0000${item.id}`
  return items.sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0))
}

/** The org chart, one level at a time: the roots, a manager's direct reports, the path to someone. */
export async function orgChartRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db } = options

  app.get('/org-chart', { config: { access: 'viewer' } }, async (request) => {
    const tenantId = request.caller.tenant.id
    const manager = optionalText(request.query as Record<string, unknown>, 'manager', 200)
    if (manager === undefined) return { items: byDisplayName(await findRootNodes(db, tenantId)) }
    if (!(await findOrgNode(db, tenantId, manager))) throw notFound(`no employee ${manager}`)
    return { items: byDisplayName(await findDirectReportNodes(db, tenantId, manager)) }
  })

  app.get<{ Params: { id: string } }>(
    '/org-chart/path/:id',
    { config: { access: 'viewer' } },
    async (request) => {
      const tenantId = request.caller.tenant.id
      const path: OrgNodeRow[] = []
      const seen = new Set<string>()
      let next: string | null = request.params.id
      while (next !== null && !seen.has(next) && path.length < MAX_DEPTH) {
        seen.add(next)
        const row = await findOrgNode(db, tenantId, next)
        if (!row) break
        path.push(row)
        next = row.manager_id
      }
      if (path.length === 0) throw notFound(`no employee ${request.params.id}`)
      return { path: path.reverse().map(node) }
    },
  )
}
