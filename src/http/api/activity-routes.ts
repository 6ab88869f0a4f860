import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { csvLine } from '../../csv/rfc4180.js'
import { type ActivityQuery, listActivity } from '../../store/activity-query.js'
import { ACTIVITY_CSV_HEADER, activityCsvLine } from './activity-csv.js'
import { toActivityItems } from './activity-items.js'
import type { ApiOptions } from './api-context.js'
import { dateTime, integer, oneOf, optionalText, type Query } from './request-input.js'

const OPERATIONS = ['create', 'replace', 'patch', 'delete'] as const
const MAX_SEQ = Number.MAX_SAFE_INTEGER
/** Rows per query while a CSV export streams. */
const CSV_CHUNK = 1000

function activityFilters(query: Query): Omit<ActivityQuery, 'limit'> {
  const from = dateTime(query, 'from')
  const to = dateTime(query, 'to')
  const operation = oneOf(query, 'operation', OPERATIONS)
  const tokenId = optionalText(query, 'tokenId', 200)
  const resourceId = optionalText(query, 'employee', 200)
  const outcome = oneOf(query, 'outcome', ['success', 'failure'] as const)
  const before = integer(query, 'before', { min: 1, max: MAX_SEQ })
  const after = integer(query, 'after', { min: 0, max: MAX_SEQ })
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(operation === undefined ? {} : { operation }),
    ...(tokenId === undefined ? {} : { tokenId }),
    ...(resourceId === undefined ? {} : { resourceId }),
    ...(outcome === undefined ? {} : { outcome }),
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  }
}

/** The audit trail: newest first, filtered, paged back with `before`, polled with `after`, exported as CSV. */
export async function activityRoutes(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { db } = options

  app.get('/activity', { config: { access: 'viewer' } }, async (request) => {
    const query = request.query as Query
    const filters = activityFilters(query)
    const limit = integer(query, 'limit', { min: 1, max: 1000 }, 100) as number
    const tenantId = request.caller.tenant.id
    const rows = await listActivity(db, tenantId, { ...filters, limit })
    return {
      items: await toActivityItems(db, tenantId, rows),
      nextBefore: rows.length === limit ? (rows.at(-1)?.seq ?? null) : null,
    }
  })

  app.get('/activity.csv', { config: { access: 'viewer' } }, async (request, reply) => {
    const filters = activityFilters(request.query as Query)
    const tenantId = request.caller.tenant.id
    // Streamed in chunks, newest first: an export of the whole trail never sits in memory.
    async function* lines() {
      yield csvLine([...ACTIVITY_CSV_HEADER])
      let before = filters.before
      for (;;) {
        const rows = await listActivity(db, tenantId, {
          ...filters,
          ...(before === undefined ? {} : { before }),
          limit: CSV_CHUNK,
        })
        for (const item of await toActivityItems(db, tenantId, rows)) yield activityCsvLine(item)
        if (rows.length < CSV_CHUNK) return
        before = rows.at(-1)?.seq
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="roster-activity-${request.caller.tenant.slug}.csv"`,
      )
      .send(Readable.from(lines()))
  })
}
