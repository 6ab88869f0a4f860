import { sql } from 'kysely'
import { issueAccessToken } from '../src/access/access-tokens.js'
import { storedChanges } from '../src/directory/audit.js'
import { newResourceId } from '../src/directory/resource-id.js'
import { createTenant } from '../src/directory/tenants.js'
import { userColumns } from '../src/directory/user-record.js'
import { normalizeResource } from '../src/scim/resource/normalize.js'
import { userResource } from '../src/scim/schema/registry.js'
import type { Db } from '../src/store/database.js'
import { isPostgres } from '../src/store/dialects/sql-dialect-of.js'
import type { UserRow } from '../src/store/users-repository.js'
import { employeeBody, employeeUserName } from './employees.js'

export interface SeededTenant {
  slug: string
  tenantId: string
  /** Bearer token with the `scim` scope. */
  token: string
  domain: string
  ids: string[]
  userNames: string[]
}

/**
 * Rows per transaction, and per INSERT statement: ~21 bound values a user row, 8 an audit row;
 * SQLite allows 32,766 bound values a statement, PostgreSQL 65,535. Larger statements cut
 * PostgreSQL's round trips and per-statement planning, which dominate its seeding.
 */
const ROWS_PER_TRANSACTION = 1_000
const ROWS_PER_STATEMENT = { sqlite: 250, postgres: 1_000 }
/** Direct reports per manager: everyone but the first employee has a manager. */
const SPAN_OF_CONTROL = 8

/**
 * A tenant with `users` employees, written straight through Kysely in batched transactions: the
 * same canonical resources and columns (normalizeResource → userColumns) and the same audit
 * "create" events the API would leave, at a fraction of the cost of 100,000 POSTs.
 */
export async function seedTenant(
  db: Db,
  input: { slug: string; users: number; onProgress?: (done: number) => void },
): Promise<SeededTenant> {
  const tenant = await createTenant(db, { slug: input.slug, name: `Bench ${input.slug}`, rules: 'alexis' })
  const { token } = await issueAccessToken(db, tenant.id, { name: 'bench', scopes: ['scim'] })
  const domain = `${input.slug}.example`
  // Creation times one second apart, ending now: the default list order (created, id) is the seeding
  // order. Ids are made as the directory makes them (time-ordered UUIDv7) from those times.
  const start = Date.now() - input.users * 1000
  const ids = Array.from({ length: input.users }, (_, n) => newResourceId(start + n * 1000))
  const userNames = ids.map((_, n) => employeeUserName(n, { domain }))

  const rowsPerStatement = isPostgres(db) ? ROWS_PER_STATEMENT.postgres : ROWS_PER_STATEMENT.sqlite
  const build = (first: number) => {
    const last = Math.min(first + ROWS_PER_TRANSACTION, input.users)
    const users: UserRow[] = []
    const audits: { id: string; at: string; changes: string }[] = []
    for (let n = first; n < last; n++) {
      const managerId = n === 0 ? undefined : ids[Math.floor((n - 1) / SPAN_OF_CONTROL)]
      const resource = normalizeResource(employeeBody(n, { domain, managerId }), userResource)
      const at = new Date(start + n * 1000).toISOString()
      const id = ids[n] as string
      const columns = userColumns(resource, at, 1)
      users.push({ tenant_id: tenant.id, id, created: at, ...columns, audit_head: null })
      audits.push({ id, at, changes: storedChanges({ created: columns.resource }) })
    }
    return { last, users, audits }
  }
  const write = (batch: ReturnType<typeof build>) =>
    db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.users.length; i += rowsPerStatement) {
        // Each user's "create" event is the head of its history (store/migrations/0008-audit-chains.ts).
        const events = await trx
          .insertInto('audit_events')
          .values(
            batch.audits.slice(i, i + rowsPerStatement).map((audit) => ({
              tenant_id: tenant.id,
              at: audit.at,
              token_id: null,
              request_id: null,
              operation: 'create',
              resource_type: 'User',
              resource_id: audit.id,
              changes: audit.changes,
            })),
          )
          .returning(['seq', 'resource_id'])
          .execute()
        const heads = new Map(events.map((event) => [event.resource_id, Number(event.seq)]))
        await trx
          .insertInto('users')
          .values(
            batch.users
              .slice(i, i + rowsPerStatement)
              .map((user) => ({ ...user, audit_head: heads.get(user.id) })),
          )
          .execute()
      }
    })

  // The next batch is built while the database writes the previous one (on PostgreSQL the write is
  // another process's work; on SQLite better-sqlite3 is synchronous and nothing overlaps).
  let batch = build(0)
  while (batch.users.length > 0) {
    const written = write(batch)
    const next = build(batch.last)
    await written
    input.onProgress?.(batch.last)
    batch = next
  }
  // Fresh statistics, as autovacuum would gather them later: the planner picks the indexes the
  // scenarios are about instead of guessing from an empty table.
  if (isPostgres(db)) await sql`analyze users`.execute(db)
  return { slug: input.slug, tenantId: tenant.id, token, domain, ids, userNames }
}
