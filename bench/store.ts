import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../src/store/database.js'
import { openStore } from '../src/store/open.js'
import type { StoreKind } from './options.js'

/** The database a benchmark run seeds and the server child serves: created fresh, removed at the end. */
export interface BenchStore {
  kind: StoreKind
  /** What the server child gets as DATABASE_URL. */
  databaseUrl: string
  /** Opens it from the bench process (running migrations), for seeding. */
  open(): Promise<Db>
  dispose(): void
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
        dispose: () => rmSync(dir, { recursive: true, force: true }),
      }
    }
  }
}
