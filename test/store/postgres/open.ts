import type { Kysely } from 'kysely'
import type { Database } from '../../../src/store/database.js'
import { migrateToLatest } from '../../../src/store/migrate.js'
import { openStore } from '../../../src/store/open.js'
import { createTestDatabase, type DatabaseKind } from '../../support/databases.js'
import { seedDirectory } from './seed.js'

export interface OpenedStore {
  db: Kysely<Database>
  url: string
  /** The migrations the first migrateToLatest applied. */
  applied: string[]
  close(): Promise<void>
}

/** A fresh, migrated and seeded database of `kind`, opened as production opens it (openStore). */
export async function openSeededDatabase(kind: DatabaseKind): Promise<OpenedStore> {
  const database = await createTestDatabase(kind)
  let db: Kysely<Database> | undefined
  try {
    db = await openStore({ databaseUrl: database.url, migrate: false })
    const applied = await migrateToLatest(db)
    await seedDirectory(db)
    const opened = db
    return {
      db: opened,
      url: database.url,
      applied,
      async close() {
        await opened.destroy()
        await database.drop()
      },
    }
  } catch (error) {
    await db?.destroy()
    await database.drop()
    throw error
  }
}
