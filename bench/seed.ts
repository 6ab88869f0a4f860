import { issueAccessToken } from '../src/access/access-tokens.js'
import { newResourceId } from '../src/directory/resource-id.js'
import { createTenant } from '../src/directory/tenants.js'
import { userColumns } from '../src/directory/user-record.js'
import { diffResources } from '../src/scim/resource/diff.js'
import { normalizeResource } from '../src/scim/resource/normalize.js'
import { userResource } from '../src/scim/schema/registry.js'
import type { Db } from '../src/store/database.js'
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

/** Rows per transaction, and per INSERT statement (22 bound values a row; SQLite allows 32,766). */
const ROWS_PER_TRANSACTION = 1_000
const ROWS_PER_STATEMENT = 250
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

  for (let first = 0; first < input.users; first += ROWS_PER_TRANSACTION) {
    const last = Math.min(first + ROWS_PER_TRANSACTION, input.users)
    const users: UserRow[] = []
    const audits: { id: string; at: string; changes: string }[] = []
    for (let n = first; n < last; n++) {
      const managerId = n === 0 ? undefined : ids[Math.floor((n - 1) / SPAN_OF_CONTROL)]
      const resource = normalizeResource(employeeBody(n, { domain, managerId }), userResource)
      const at = new Date(start + n * 1000).toISOString()
      const id = ids[n] as string
      users.push({ tenant_id: tenant.id, id, created: at, ...userColumns(resource, at, 1) })
      audits.push({ id, at, changes: JSON.stringify(diffResources(undefined, resource)) })
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < users.length; i += ROWS_PER_STATEMENT) {
        await trx
          .insertInto('users')
          .values(users.slice(i, i + ROWS_PER_STATEMENT))
          .execute()
        await trx
          .insertInto('audit_events')
          .values(
            audits.slice(i, i + ROWS_PER_STATEMENT).map((audit) => ({
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
          .execute()
      }
    })
    input.onProgress?.(last)
  }
  return { slug: input.slug, tenantId: tenant.id, token, domain, ids, userNames }
}
