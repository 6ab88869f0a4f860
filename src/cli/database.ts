import { loadConfig } from '../config.js'
import type { Db } from '../store/database.js'
import { openStore } from '../store/open.js'

/** Opens the configured database for one CLI command and always closes it. */
export async function withDatabase<T>(
  databaseUrl: string | undefined,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env, { DATABASE_URL: databaseUrl })
  const db = await openStore({ databaseUrl: config.databaseUrl })
  try {
    return await work(db)
  } finally {
    await db.destroy()
  }
}
