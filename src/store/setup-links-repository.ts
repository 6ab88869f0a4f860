import type { Insertable, Selectable } from 'kysely'
import type { Db, SetupLinkTable } from './database.js'

export type SetupLinkRow = Selectable<SetupLinkTable>

export async function insertSetupLink(db: Db, row: Insertable<SetupLinkTable>): Promise<void> {
  await db.insertInto('setup_links').values(row).execute()
}

export async function findSetupLink(db: Db, codeHash: string): Promise<SetupLinkRow | undefined> {
  return db.selectFrom('setup_links').selectAll().where('code_hash', '=', codeHash).executeTakeFirst()
}

/**
 * Marks the link used unless it was used already (or expired) meanwhile: true for exactly one of
 * two requests redeeming it at once.
 */
export async function claimSetupLink(db: Db, codeHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('setup_links')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
