import type { Insertable, Selectable } from 'kysely'
import type { ConsoleAccountTable, ConsoleSessionTable, Db, TenantTable } from './database.js'

export type ConsoleSessionRow = Selectable<ConsoleSessionTable>

/** A live session with its account and tenant, as every console request needs them. */
export interface SessionWithAccount {
  session: ConsoleSessionRow
  account: Selectable<ConsoleAccountTable>
  tenant: Selectable<TenantTable>
}

export async function insertConsoleSession(db: Db, row: Insertable<ConsoleSessionTable>): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute()
}

/** The session with this id hash if it has not expired at `now`. */
export async function findLiveSession(
  db: Db,
  idHash: string,
  now: string,
): Promise<SessionWithAccount | undefined> {
  const row = await db
    .selectFrom('console_sessions as s')
    .innerJoin('console_accounts as a', (join) =>
      join.onRef('a.id', '=', 's.account_id').onRef('a.tenant_id', '=', 's.tenant_id'),
    )
    .innerJoin('tenants as t', 't.id', 's.tenant_id')
    .select([
      's.id_hash',
      's.tenant_id',
      's.account_id',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'a.email',
      'a.email_lower',
      'a.display_name',
      'a.role',
      'a.password_hash',
      'a.created_at as account_created_at',
      'a.last_login_at',
      't.slug',
      't.name',
      't.rules',
      't.created_at as tenant_created_at',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    session: {
      id_hash: row.id_hash,
      tenant_id: row.tenant_id,
      account_id: row.account_id,
      csrf_token: row.csrf_token,
      created_at: row.created_at,
      last_seen_at: row.last_seen_at,
      expires_at: row.expires_at,
    },
    account: {
      id: row.account_id,
      tenant_id: row.tenant_id,
      email: row.email,
      email_lower: row.email_lower,
      display_name: row.display_name,
      role: row.role,
      password_hash: row.password_hash,
      created_at: row.account_created_at,
      last_login_at: row.last_login_at,
    },
    tenant: {
      id: row.tenant_id,
      slug: row.slug,
      name: row.name,
      rules: row.rules,
      created_at: row.tenant_created_at,
    },
  }
}

export async function touchConsoleSession(
  db: Db,
  idHash: string,
  lastSeenAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable('console_sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute()
}

export async function deleteConsoleSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute()
}

export async function deleteAccountSessions(db: Db, tenantId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('console_sessions')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .execute()
}

/** Sessions past their expiry are dead already; this only keeps the table small. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute()
}
