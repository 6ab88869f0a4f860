import { type Kysely, sql } from 'kysely'

/**
 * SQLite's query planner, without statistics, guesses that an equality on an index's first column
 * finds ten rows. Every index of `users` starts with tenant_id, so `tenant_id = ?` alone looks as
 * selective as an index lookup, and the planner would walk a whole tenant rather than combine two
 * indexed lookups (Entra's work-email match, which reads two indexes: see migration 0010). Real
 * statistics (ANALYZE) would follow the data — a test database of twelve users would plan unlike
 * a directory of 100,000 — so Roster writes fixed ones instead, the shape it is built for: a large
 * tenant, where tenant_id narrows little and every other key column almost to one row. SQLite
 * documents this use of sqlite_stat1 ("fixed statistics" for a stable plan). Nothing in Roster runs
 * ANALYZE; a migration that adds or changes an index of `users` must call this again.
 */
const USERS_STATISTICS: Record<string, string> = {
  // Rows of the index, rows per tenant_id, rows per (tenant_id, next column), …
  sqlite_autoindex_users_1: '1000000 100000 1',
  users_user_name: '1000000 100000 1',
  users_external_id: '1000000 100000 1',
  // Partial: only users whose work email differs from their userName.
  users_work_email: '100000 10000 1',
  users_manager: '1000000 100000 8',
  users_created: '1000000 100000 1 1',
}

export async function writeFixedUserStatistics(db: Kysely<unknown>): Promise<void> {
  // ANALYZE of a one-row table is the documented way to create sqlite_stat1; its own row is dropped.
  await sql`analyze kysely_migration_lock`.execute(db)
  await sql`delete from sqlite_stat1 where tbl in ('users', 'kysely_migration_lock')`.execute(db)
  for (const [index, stat] of Object.entries(USERS_STATISTICS)) {
    await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('users', ${index}, ${stat})`.execute(db)
  }
  // Loaded when a connection next reads the schema, which the migration that calls this changes.
  await sql`analyze sqlite_schema`.execute(db)
}

export async function dropFixedUserStatistics(db: Kysely<unknown>): Promise<void> {
  await sql`delete from sqlite_stat1 where tbl = 'users'`.execute(db)
}
