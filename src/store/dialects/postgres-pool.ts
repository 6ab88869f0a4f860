import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import { isConnectionFailure } from '../errors.js'

/** A query error after which the session is gone: the server ended it (FATAL) or the socket did. */
function endsSession(error: unknown): boolean {
  const severity = (error as { severity?: unknown } | null)?.severity
  return severity === 'FATAL' || severity === 'PANIC' || isConnectionFailure(error)
}

/**
 * `pool` as Kysely drives it, made safe against connections the server drops (restart, failover,
 * pg_terminate_backend):
 *
 * - pg emits 'error' on a client whose connection ends, also while it is checked out; with no
 *   listener that is an uncaught exception and the process dies. Every client gets a listener (the
 *   pending query is rejected anyway, and the client is no longer queryable).
 * - After a FATAL error (57P01 admin_shutdown…) the socket closes a moment later. Kysely releases
 *   the client at once, so the pool would hand it to the next request, which would fail too. A
 *   client whose query failed that way is released as broken, and the pool discards it.
 */
export function guardedPool(pool: pg.Pool): PostgresPool {
  // Idle clients dropped by the server: the pool removes them itself and reports them here.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    client.on('error', () => {})
  })
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>()
  return {
    async connect() {
      const client = await pool.connect()
      // Kysely keys its connection objects by client: one wrapper per client, reused.
      let wrapper = wrappers.get(client)
      if (!wrapper) {
        wrapper = guardedClient(client)
        wrappers.set(client, wrapper)
      }
      return wrapper
    },
    end: () => pool.end(),
  }
}

function guardedClient(client: pg.PoolClient): PostgresPoolClient {
  let broken = false
  const query = async (text: string, parameters: readonly unknown[]) => {
    try {
      return await client.query(text, parameters as unknown[])
    } catch (error) {
      if (endsSession(error)) broken = true
      throw error
    }
  }
  return {
    // Kysely's type also allows a cursor form, used only with a cursor configured (none is).
    query: query as unknown as PostgresPoolClient['query'],
    release(destroy?: boolean) {
      // A truthy argument makes the pool destroy the client instead of keeping it idle.
      client.release(destroy === true || broken ? true : undefined)
    },
  }
}
