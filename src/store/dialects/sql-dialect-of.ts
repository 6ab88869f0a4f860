import { type Kysely, PostgresAdapter } from 'kysely'
import { postgresSql } from './postgres-sql.js'
import type { SqlDialect } from './sql-dialect.js'
import { sqliteSql } from './sqlite-sql.js'

/** Any Kysely instance or transaction, whatever its table types. */
type AnyKysely = Pick<Kysely<unknown>, 'getExecutor'>

/** True for a Kysely instance (or transaction) on PostgreSQL, e.g. one made by openPostgres. */
export function isPostgres(db: AnyKysely): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/** The filter/sort SQL of the database behind `db`, so callers need not track which one they opened. */
export function sqlDialectOf(db: AnyKysely): SqlDialect {
  return isPostgres(db) ? postgresSql : sqliteSql
}
