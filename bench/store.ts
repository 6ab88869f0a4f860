import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Db } from '../src/store/database.js'
import { openStore } from '../src/store/open.js'
import type { StoreKind } from './options.js'

/** The database a benchmark run seeds and the server child serves: created fresh, removed at the end. */
export interface BenchStore {
  kind: StoreKind
  /** What the server child gets as DATABASE_URL. */
  databaseUrl: string
  /** Opens it from the bench process (creating it if needed, running migrations), for seeding. */
  open(): Promise<Db>
  /**
   * After seeding: writes what the seed left in the OS's page cache to disk now, so that the
   * kernel's write-back of hundreds of megabytes does not run during the measurements (it took
   * 10–30 % off the first hello-world run here).
   */
  flush(): void
  /** Removes it; safe to call twice, and before open(). */
  dispose(): Promise<void>
}

/** The PostgreSQL server (through its maintenance database) where bench databases are created. */
const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Only names made here are ever dropped. */
const BENCH_DATABASE_NAME = /^roster_bench_[0-9a-f]{16}$/

async function maintenance(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export function createBenchStore(kind: StoreKind): BenchStore {
  switch (kind) {
    case 'sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'))
      const databaseUrl = join(dir, 'roster.db')
      return {
        kind,
        databaseUrl,
        open: () => openStore({ databaseUrl }),
        flush: () => {
          const fd = openSync(databaseUrl, 'r')
          try {
            fsyncSync(fd)
          } finally {
            closeSync(fd)
          }
        },
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      }
    }
    case 'postgres': {
      const name = `roster_bench_${randomBytes(8).toString('hex')}`
      if (!BENCH_DATABASE_NAME.test(name)) throw new Error(`unexpected bench database name ${name}`)
      const url = new URL(BENCH_PG_URL)
      url.pathname = `/${name}`
      let created: Promise<void> | undefined
      let disposed = false
      return {
        kind,
        databaseUrl: url.toString(),
        async open() {
          // template0 and UTF8, as the test databases: independent of the cluster's defaults.
          created ??= maintenance(`create database "${name}" template template0 encoding 'UTF8'`)
          await created
          return openStore({ databaseUrl: url.toString() })
        },
        // PostgreSQL writes its own pages back on its own schedule (checkpoints); nothing to hurry.
        flush: () => {},
        async dispose() {
          if (!created || disposed) return
          disposed = true
          await created.catch(() => {})
          // FORCE (PostgreSQL 13+) ends connections a killed server child may have left.
          await maintenance(`drop database if exists "${name}" with (force)`)
        },
      }
    }
  }
}
