import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../database.js'
import { guardedPool } from './postgres-pool.js'

export interface PostgresOptions {
  /** Connections in the pool (default 10); each Roster node holds at most this many. */
  max?: number
  /** A statement running longer is cancelled (default 30 s), so a stuck query cannot hold a connection. */
  statementTimeoutMs?: number
  /** How long a request waits to connect, or for a free connection, before failing (default 5 s). */
  connectionTimeoutMs?: number
}

const OID = { int8: 20, json: 114, jsonb: 3802 } as const

/**
 * Values come back as the services expect them on SQLite: counts (bigint, e.g. `count(*)`) and the
 * audit `seq` as numbers, JSON as its text (the services JSON.parse `resource` themselves). Set per
 * pool rather than on pg's global registry, so nothing else in the process changes.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === undefined || format === 'text') {
      if (oid === OID.int8) return (value: string) => Number(value)
      if (oid === OID.json || oid === OID.jsonb) return (value: string) => value
    }
    return pg.types.getTypeParser(oid, format as 'text')
  }) as pg.CustomTypesConfig['getTypeParser'],
}

/**
 * A Kysely instance over a pg Pool for `url` (`postgres://user@host:5432/db`). Connections are made
 * lazily; `db.destroy()` ends the pool. Timestamps stay ISO text columns, as on SQLite.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // Idle connections are closed after 30 s, so a quiet node gives its connections back.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open (a bug, a stalled client) must not hold row locks forever.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'roster',
    // TCP keep-alive notices a peer that vanished without closing (failover, network partition).
    keepAlive: true,
    types,
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardedPool(pool) }) })
}
