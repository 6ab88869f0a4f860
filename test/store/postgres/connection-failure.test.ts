import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { type Kysely, sql } from 'kysely'
import type { Database } from '../../../src/store/database.js'
import { openPostgres } from '../../../src/store/dialects/postgres.js'
import { isConnectionFailure, isUniqueViolation } from '../../../src/store/errors.js'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../support/databases.js'

/** A loopback port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected the query to fail')
}

/** Ends every other session of this test's database, as a server restart or an operator would. */
async function terminateOtherSessions(admin: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ terminated: boolean }>`
    select pg_terminate_backend(pid) as terminated from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(admin)
  return rows.filter((row) => row.terminated).length
}

describe('PostgreSQL connection failures', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let database: TestDatabase
  let admin: Kysely<Database>

  before(async () => {
    database = await createTestDatabase('postgres')
    admin = openPostgres(database.url, { max: 1 })
  })
  after(async () => {
    await admin?.destroy()
    await database?.drop()
  })

  it('recognises a server that refuses connections', async () => {
    const db = openPostgres(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`)
    try {
      const error = await failure(sql`select 1`.execute(db))
      assert.equal(isConnectionFailure(error), true, String(error))
    } finally {
      await db.destroy()
    }
  })

  it('recognises a query cut off by the server, and the pool reconnects afterwards', async () => {
    const db = openPostgres(database.url, { max: 2 })
    try {
      const running = failure(sql`select pg_sleep(60)`.execute(db))
      // Wait (without a deadline of our own) until the sleeping query is visible, then end it.
      for (;;) {
        const { rows } = await sql<{ n: number }>`
          select count(*) as n from pg_stat_activity
          where datname = current_database() and query = 'select pg_sleep(60)' and state = 'active'`.execute(
          admin,
        )
        if (rows[0]?.n === 1) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.equal(await terminateOtherSessions(admin), 1)
      const error = await running
      assert.equal((error as { code?: string }).code, '57P01')
      assert.equal(isConnectionFailure(error), true)
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
      assert.deepEqual(rows, [{ one: 1 }])
    } finally {
      await db.destroy()
    }
  })

  it('survives idle connections being dropped by the server', async () => {
    const db = openPostgres(database.url, { max: 3 })
    try {
      // Three connections, all idle in the pool afterwards.
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db)))
      assert.ok((await terminateOtherSessions(admin)) >= 1)
      // The pool's 'error' events are handled; the next queries open new connections.
      for (let i = 0; i < 5; i++) {
        const result = await db
          .executeQuery<{ one: number }>(sql`select 1 as one`.compile(db))
          .catch((error) => error)
        // A query may still meet a connection whose termination notice has not arrived yet: that
        // one fails as a connection failure (503, retry), never as anything else.
        if (result instanceof Error) assert.equal(isConnectionFailure(result), true, String(result))
        else assert.deepEqual(result.rows, [{ one: 1 }])
      }
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
      assert.deepEqual(rows, [{ one: 1 }])
    } finally {
      await db.destroy()
    }
  })

  it('fails the next query of a connection dropped while checked out, without crashing', async () => {
    const db = openPostgres(database.url, { max: 1 })
    try {
      const error = await failure(
        db.connection().execute(async (connection) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(connection)
          const pid = rows[0]?.pid
          await sql`select pg_terminate_backend(${pid}::int)`.execute(admin)
          // The server's notice reaches the client while no query runs: pg emits 'error' on it.
          for (;;) {
            const { rows: alive } = await sql`select 1 from pg_stat_activity where pid = ${pid}::int`.execute(
              admin,
            )
            if (alive.length === 0) break
          }
          await new Promise((resolve) => setTimeout(resolve, 50))
          await sql`select 1`.execute(connection)
        }),
      )
      assert.equal(isConnectionFailure(error), true, String(error))
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db)
      assert.deepEqual(rows, [{ one: 1 }])
    } finally {
      await db.destroy()
    }
  })

  it('recognises a database closed to connections (maintenance), and not other 55000 errors', async () => {
    const closed = await createTestDatabase('postgres')
    const name = new URL(closed.url).pathname.slice(1)
    const db = openPostgres(closed.url, { max: 1 })
    try {
      await sql`alter database ${sql.id(name)} allow_connections false`.execute(admin)
      const error = await failure(sql`select 1`.execute(db))
      assert.equal((error as { code?: string }).code, '55000', String(error))
      assert.equal(isConnectionFailure(error), true, String(error))
      assert.equal(isConnectionFailure({ code: '55000', message: 'lock not available elsewhere' }), false)
    } finally {
      await db.destroy()
      await sql`alter database ${sql.id(name)} allow_connections true`.execute(admin)
      await closed.drop()
    }
  })

  it('does not take a bad query or a constraint for a connection failure', async () => {
    const syntax = await failure(sql`select from where`.execute(admin))
    assert.equal(isConnectionFailure(syntax), false)
    await sql`create table t (k text primary key)`.execute(admin)
    await sql`insert into t values ('a')`.execute(admin)
    const duplicate = await failure(sql`insert into t values ('a')`.execute(admin))
    assert.equal(isUniqueViolation(duplicate), true)
    assert.equal(isConnectionFailure(duplicate), false)
    const timeout = await failure(
      admin.connection().execute(async (connection) => {
        await sql`set statement_timeout = 10`.execute(connection)
        try {
          await sql`select pg_sleep(5)`.execute(connection)
        } finally {
          await sql`reset statement_timeout`.execute(connection)
        }
      }),
    )
    assert.equal((timeout as { code?: string }).code, '57014')
    assert.equal(isConnectionFailure(timeout), false)
  })
})
