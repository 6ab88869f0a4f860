import type { FastifyInstance } from 'fastify'
import { notFound } from '../../console/console-error.js'
import { groupsOfUsers } from '../../directory/user-groups.js'
import { renderUserJson } from '../../directory/user-json.js'
import { displayNameOf, managerNameOf } from '../../directory/user-record.js'
import { listActivity } from '../../store/activity-query.js'
import {
  EMPLOYEE_SORTS,
  EMPLOYEE_STATUSES,
  EmployeeListCache,
  type EmployeeListRow,
  listEmployees,
} from '../../store/employee-list-query.js'
import { findDirectReportNodes } from '../../store/org-chart-query.js'
import { runRead } from '../../store/read-units.js'
import { findUserNames, findUserWithManager } from '../../store/users-repository.js'
import { toActivityItems } from './activity-items.js'
import type { ApiOptions } from './api-context.js'
import { integer, oneOf, optionalText } from './request-input.js'

export const MAX_PAGE_SIZE = 200
const HISTORY_LIMIT = 100
const LISTING_TTL_MS = 5000

function listItem(row: EmployeeListRow, managerName: string | undefined) {
  return {
    id: row.id,
    userName: row.user_name,
    displayName: displayNameOf(row),
    givenName: row.given_name,
    familyName: row.family_name,
    title: row.title,
    department: row.department,
    manager: row.manager_id === null ? null : { id: row.manager_id, displayName: managerName ?? null },
    active: row.active === 1,
    lastModified: row.last_modified,
  }
}

/** The employee directory, paged on the server (fast at 100,000 employees), and one employee in full. */
export async function employeesRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db, dialect } = options
  // Totals (and where deep pages start) may lag writes by up to this long.
  const totals = new EmployeeListCache(LISTING_TTL_MS)

  app.get('/employees', { config: { access: 'viewer' } }, async (request) => {
    const query = request.query as Record<string, unknown>
    const q = optionalText(query, 'q', 200)?.trim()
    const list = {
      ...(q ? { q } : {}),
      status: oneOf(query, 'status', EMPLOYEE_STATUSES, 'all'),
      sort: oneOf(query, 'sort', EMPLOYEE_SORTS, 'userName'),
      order: oneOf(query, 'order', ['asc', 'desc'] as const, 'asc'),
      page: integer(query, 'page', { min: 1, max: 1_000_000 }, 1) as number,
      pageSize: integer(query, 'pageSize', { min: 1, max: MAX_PAGE_SIZE }, 50) as number,
    }
    const tenantId = request.caller.tenant.id
    const { total, rows, managers } = await runRead(db, async (read) => {
      const page = await listEmployees(read, tenantId, list, dialect, totals)
      const managerIds = [...new Set(page.rows.flatMap((row) => (row.manager_id ? [row.manager_id] : [])))]
      return { ...page, managers: await findUserNames(read, tenantId, managerIds) }
    })
    const names = new Map(managers.map((manager) => [manager.id, displayNameOf(manager)]))
    return {
      total,
      page: list.page,
      pageSize: list.pageSize,
      items: rows.map((row) => listItem(row, row.manager_id ? names.get(row.manager_id) : undefined)),
    }
  })

  app.get<{ Params: { id: string } }>('/employees/:id', { config: { access: 'viewer' } }, async (request) => {
    const tenantId = request.caller.tenant.id
    const { id } = request.params
    const scimBaseUrl = options.links.scimBaseUrl
    const found = await runRead(db, async (read) => {
      const row = await findUserWithManager(read, tenantId, id)
      if (!row) return undefined
      return {
        row,
        groups: await groupsOfUsers(read, tenantId, [id], scimBaseUrl),
        reports: await findDirectReportNodes(read, tenantId, id),
        history: await listActivity(read, tenantId, { resourceId: id, limit: HISTORY_LIMIT }),
        columns: (await findUserNames(read, tenantId, [id]))[0],
      }
    })
    if (!found) throw notFound(`no employee ${id}`)
    const { row, groups, reports, history, columns } = found
    const managerName = managerNameOf(row)
    // Exactly what GET /scim/v2/Users/:id answers (same rendering, same groups).
    const resource = JSON.parse(renderUserJson(row, scimBaseUrl, managerName)) as Record<string, unknown>
    const memberships = groups.get(id) ?? []
    if (memberships.length > 0) resource.groups = memberships
    const fields = resource as { title?: string; [key: string]: unknown }
    const enterprise = resource['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as
      | { department?: string }
      | undefined
    const byName = (left: { displayName: string }, right: { displayName: string }) =>
      left.displayName.toLowerCase() < right.displayName.toLowerCase()
        ? -1
        : left.displayName.toLowerCase() > right.displayName.toLowerCase()
          ? 1
          : 0
    return {
      employee: {
        id,
        userName: columns?.user_name ?? null,
        displayName: columns ? displayNameOf(columns) : null,
        givenName: columns?.given_name ?? null,
        familyName: columns?.family_name ?? null,
        title: typeof fields.title === 'string' ? fields.title : null,
        department: typeof enterprise?.department === 'string' ? enterprise.department : null,
        active: row.active === 1,
        lastModified: row.last_modified,
        resource,
        manager:
          row.manager_id === null
            ? null
            : {
                id: row.manager_id,
                displayName: managerName ?? null,
                userName: row.manager_user_name,
              },
        directReports: reports
          .map((report) => ({
            id: report.id,
            displayName: displayNameOf(report),
            userName: report.user_name,
            title: report.title,
          }))
          .sort(byName),
        groups: memberships.map((group) => ({
          id: group.value,
          displayName: group.display,
          type: group.type,
        })),
        history: await toActivityItems(db, tenantId, history),
      },
    }
  })
}
