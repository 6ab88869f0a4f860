import type { Insertable, Selectable } from 'kysely'
import type { AccessTokenTable, Db } from './database.js'

export type AccessTokenRow = Selectable<AccessTokenTable>

export async function insertAccessToken(db: Db, row: Insertable<AccessTokenTable>): Promise<void> {
  await db.insertInto('access_tokens').values(row).execute()
}

/** Looks a token up by the hash of its secret (the unique index); revoked tokens are returned too. */
export async function findAccessTokenByHash(db: Db, tokenHash: string): Promise<AccessTokenRow | undefined> {
  return db.selectFrom('access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

export async function listAccessTokens(db: Db, tenantId: string): Promise<AccessTokenRow[]> {
  return db
    .selectFrom('access_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Marks a token revoked; false when the tenant has no such live token. */
export async function revokeAccessToken(db: Db, tenantId: string, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('access_tokens')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function touchAccessToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('access_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
}
