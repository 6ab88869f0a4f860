import { loadConfig } from '../config.js'
import type { Db } from '../store/database.js'
import { openStore } from '../store/open.js'

/** Opens the configured database for one CLI command and always closes it. */
export async function withDatabase<T>(
  databaseUrl: string | undefined,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env, { DATABASE_URL: databaseUrl })
  // One command, one connection at a time: a small pool leaves the server's connections alone.
  const db = await openStore({
    databaseUrl: config.databaseUrl,
    migrate: config.autoMigrate ? true : 'require-current',
    postgres: { max: 2, statementTimeoutMs: config.databaseStatementTimeoutMs },
  })
  try {
    return await work(db)
  } finally {
    await db.destroy()
  }
}
