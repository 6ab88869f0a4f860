import { type Kysely, sql } from 'kysely'
import { isPostgres } from '../dialects/sql-dialect-of.js'
import { dropFixedUserStatistics, writeFixedUserStatistics } from '../dialects/sqlite-fixed-statistics.js'

/**
 * The work-email index keeps only users whose work email differs from their userName. Entra's
 * default mappings send the UPN as both, so for most employees the entry repeated the userName
 * index's at another random page: one more B-tree page per create to copy into the WAL, with its
 * page splits ~1.7 pages, a quarter of a POST's WAL writes on SQLite at 100,000 users. The match
 * `emails[type eq "work"].value eq x` now reads two indexes: this one, and the userName index for
 * users whose work email equals their userName (store/user-filter-sql.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_work_email').execute()
  await sql`create index users_work_email on users (tenant_id, work_email_lower) where work_email_lower <> user_name_lower`.execute(
    db,
  )
  if (!isPostgres(db)) await writeFixedUserStatistics(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) await dropFixedUserStatistics(db)
  await db.schema.dropIndex('users_work_email').execute()
  await db.schema
    .createIndex('users_work_email')
    .on('users')
    .columns(['tenant_id', 'work_email_lower'])
    .execute()
}
