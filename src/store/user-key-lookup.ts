import { type Kysely, sql } from 'kysely'
import type { Filter } from '../scim/filter/ast.js'
import { USER_SCHEMA } from '../scim/schema/user.js'
import type { Database } from './database.js'
import { sqlDialectOf } from './dialects/sql-dialect-of.js'
import { preparedStatement } from './prepared-query.js'
import { workEmailEquals, workEmailIs } from './user-filter-sql.js'
import { selectUsersWithManager, type UserRowWithManager } from './users-repository.js'

/**
 * The filters identity providers send to match one account — `userName eq`, `externalId eq`,
 * `id eq`, Entra's `emails[type eq "work"].value eq` — reduced to an equality on an indexed column.
 * They are most of all SCIM traffic, so they run as prepared statements instead of being compiled
 * per request; the result is the same as the general filter compiler's (a test holds them equal).
 */
export interface KeyLookup {
  column: 'id' | 'user_name_lower' | 'external_id' | 'work_email_lower'
  value: string
}

const KEY_COLUMNS: Record<string, { column: KeyLookup['column']; folded: boolean }> = {
  id: { column: 'id', folded: false },
  externalid: { column: 'external_id', folded: false },
  username: { column: 'user_name_lower', folded: true },
}

function isCoreName(uri: string | undefined): boolean {
  return uri === undefined || uri.toLowerCase() === USER_SCHEMA.toLowerCase()
}

export function keyLookupOf(filter: Filter): KeyLookup | undefined {
  if (filter.kind === 'compare') {
    const key = KEY_COLUMNS[filter.path.name.toLowerCase()]
    if (!key || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined
    if (filter.path.sub !== undefined || !isCoreName(filter.path.uri)) return undefined
    return { column: key.column, value: key.folded ? filter.value.toLowerCase() : filter.value }
  }
  if (filter.kind === 'valuePath' && filter.path.name.toLowerCase() === 'emails') {
    if (filter.path.sub !== undefined || !isCoreName(filter.path.uri)) return undefined
    const email = workEmailEquals(filter.filter)
    return email === undefined ? undefined : { column: 'work_email_lower', value: email.toLowerCase() }
  }
  return undefined
}

/** Columns unique per tenant (users_user_name, the primary key). */
const UNIQUE_KEYS = new Set<KeyLookup['column']>(['user_name_lower', 'id'])

type Lookup = ReturnType<typeof preparedStatement<Database, [string, string], UserRowWithManager>>
/** One statement per (column, page size): compiled once per database kind, on any handle. */
const lookups = new Map<string, Lookup>()

/** The first `limit` users (in `created, id` order) whose `column` equals `value`. */
export async function runKeyLookup(
  db: Kysely<Database>,
  tenantId: string,
  lookup: KeyLookup,
  limit: number,
): Promise<UserRowWithManager[]> {
  const key = `${lookup.column}:${limit}`
  let run = lookups.get(key)
  if (!run) {
    run = preparedStatement<Database, [string, string], UserRowWithManager>(2, (from, tenant, value) => {
      const dialect = sqlDialectOf(from)
      const inTenant = selectUsersWithManager(from).where('users.tenant_id', '=', tenant as string)
      const select =
        lookup.column === 'work_email_lower'
          ? inTenant.where(workEmailIs(value as string))
          : inTenant.where(`users.${lookup.column}`, '=', value as string)
      // A unique key finds one user at most: nothing to order (and no sorter to set up per lookup).
      if (UNIQUE_KEYS.has(lookup.column)) return select.limit(sql.lit(limit))
      return (
        select
          // As in queryUsers: the equality's index finds the rows; ORDER BY must not lure the planner away.
          .orderBy(dialect.unindexed(sql.ref('users.created')))
          .orderBy(dialect.unindexed(sql.ref('users.id')))
          .limit(sql.lit(limit))
      )
    })
    lookups.set(key, run)
  }
  return (await run(db, tenantId, lookup.value)).rows
}
