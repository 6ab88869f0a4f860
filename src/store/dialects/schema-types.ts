import { type ColumnDefinitionBuilder, type Kysely, type RawBuilder, sql } from 'kysely'
import { isPostgres } from './sql-dialect-of.js'

/**
 * The column types the migrations write, per database. On SQLite they are exactly what the first
 * migrations were written with (`text`, `integer primary key autoincrement`), so an existing SQLite
 * file and a new one have the same schema.
 */
export interface SchemaTypes {
  /** Text that compares and sorts byte by byte (UTF-8 order), as SQLite's BINARY collation does. */
  readonly text: 'text' | RawBuilder<unknown>
  /** An auto-numbered primary key (the audit trail's `seq`). */
  readonly serialKey: {
    readonly type: 'integer' | 'bigint'
    readonly build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder
  }
}

const sqliteTypes: SchemaTypes = {
  text: 'text',
  serialKey: { type: 'integer', build: (column) => column.primaryKey().autoIncrement() },
}

// PostgreSQL's text would follow the database's collation (en_US.UTF-8 sorts 'a' < 'B' < 'b'; a
// cluster's locale is an operator's choice), so `userName gt`, sortBy and keyset paging would
// disagree with SQLite. "C" compares bytes; it also lets B-tree indexes serve prefix searches.
const postgresTypes: SchemaTypes = {
  text: sql`text collate "C"`,
  // bigint: the audit trail of every tenant shares one sequence and only grows.
  serialKey: { type: 'bigint', build: (column) => column.primaryKey().generatedAlwaysAsIdentity() },
}

export function schemaTypes(db: Kysely<unknown>): SchemaTypes {
  return isPostgres(db) ? postgresTypes : sqliteTypes
}
