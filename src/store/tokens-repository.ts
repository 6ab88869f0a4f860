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

export async function findAccessTokenById(
  db: Db,
  tenantId: string,
  id: string,
): Promise<AccessTokenRow | undefined> {
  return db
    .selectFrom('access_tokens')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** A token with the display name of the console account that created it (null when none, or removed). */
export type AccessTokenWithCreator = AccessTokenRow & { creator_display_name: string | null }

/** The tenant's tokens, newest first, with their creators' names. */
export async function listAccessTokensWithCreators(
  db: Db,
  tenantId: string,
): Promise<AccessTokenWithCreator[]> {
  return db
    .selectFrom('access_tokens')
    .leftJoin('console_accounts', (join) =>
      join
        .onRef('console_accounts.tenant_id', '=', 'access_tokens.tenant_id')
        .onRef('console_accounts.id', '=', 'access_tokens.created_by_account'),
    )
    .selectAll('access_tokens')
    .select('console_accounts.display_name as creator_display_name')
    .where('access_tokens.tenant_id', '=', tenantId)
    .orderBy('access_tokens.created_at', 'desc')
    .orderBy('access_tokens.id', 'desc')
    .execute()
}

/** Revokes every live token `accountId` created; answers their ids (to evict them from caches). */
export async function revokeTokensCreatedBy(
  db: Db,
  tenantId: string,
  accountId: string,
  at: string,
): Promise<string[]> {
  const live = await db
    .selectFrom('access_tokens')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('created_by_account', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute()
  if (live.length === 0) return []
  const ids = live.map((row) => row.id)
  await db
    .updateTable('access_tokens')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute()
  return ids
}
