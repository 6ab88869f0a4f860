import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export type DatabaseKind = 'sqlite' | 'postgres'

const KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres']

/**
 * The databases the storage and HTTP suites run against: both, unless `ROSTER_TEST_DB` names one
 * (`ROSTER_TEST_DB=sqlite` on a machine without PostgreSQL).
 */
export const TEST_DATABASES: readonly DatabaseKind[] = selectKinds(process.env.ROSTER_TEST_DB)

function selectKinds(wanted: string | undefined): readonly DatabaseKind[] {
  if (wanted === undefined || wanted === '') return KINDS
  const kind = KINDS.find((candidate) => candidate === wanted)
  if (!kind) throw new Error(`ROSTER_TEST_DB must be one of ${KINDS.join(', ')}; got "${wanted}"`)
  return [kind]
}

/**
 * The PostgreSQL server the tests use, through its `postgres` maintenance database (trust auth on
 * the developers' and CI machines). `ROSTER_TEST_PG_URL` points elsewhere.
 */
export const POSTGRES_MAINTENANCE_URL =
  process.env.ROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  kind: DatabaseKind
  /** What DATABASE_URL would hold: a SQLite file path, or a postgres:// URL. */
  url: string
  /** Removes the database (the SQLite directory, or DROP DATABASE after ending its connections). */
  drop(): Promise<void>
}

/** A new, empty database of `kind` that only this test uses. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === 'sqlite' ? createSqliteDatabase() : createPostgresDatabase()
}

function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'roster-db-'))
  return {
    kind: 'sqlite',
    url: join(dir, 'roster.db'),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Runs `statement` on the maintenance database, on a connection of its own. */
async function maintenance(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_MAINTENANCE_URL, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Names made here only: a drop can never reach a database the test did not create. */
const TEST_DATABASE_NAME = /^roster_test_[0-9a-f]{16}$/

async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `roster_test_${randomBytes(8).toString('hex')}`
  // Identifiers cannot be bound parameters; the name is ours and checked.
  if (!TEST_DATABASE_NAME.test(name)) throw new Error(`unexpected test database name ${name}`)
  // template0 and UTF8: independent of what was added to template1 and of the cluster's default.
  await maintenance(`create database "${name}" template template0 encoding 'UTF8'`)
  const url = new URL(POSTGRES_MAINTENANCE_URL)
  url.pathname = `/${name}`
  let dropped = false
  return {
    kind: 'postgres',
    url: url.toString(),
    async drop() {
      if (dropped) return
      dropped = true
      // WITH (FORCE) (PostgreSQL 13+) terminates connections a test left open, e.g. after a failure.
      await maintenance(`drop database if exists "${name}" with (force)`)
    },
  }
}
