import type { Insertable, Selectable } from 'kysely'
import type { ConsoleAccountTable, Db } from './database.js'
import { isPostgres } from './dialects/sql-dialect-of.js'

export type ConsoleAccountRow = Selectable<ConsoleAccountTable>

export async function insertConsoleAccount(db: Db, row: Insertable<ConsoleAccountTable>): Promise<void> {
  await db.insertInto('console_accounts').values(row).execute()
}

export async function findConsoleAccountByEmail(
  db: Db,
  tenantId: string,
  emailLower: string,
): Promise<ConsoleAccountRow | undefined> {
  return db
    .selectFrom('console_accounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('email_lower', '=', emailLower)
    .executeTakeFirst()
}

export async function findConsoleAccountById(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ConsoleAccountRow | undefined> {
  return db
    .selectFrom('console_accounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function listConsoleAccounts(db: Db, tenantId: string): Promise<ConsoleAccountRow[]> {
  return db
    .selectFrom('console_accounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/**
 * The tenant's owners' ids, inside a transaction that is about to demote or remove one. On
 * PostgreSQL the rows stay locked until it commits, so two owners demoting each other at once
 * cannot both see "another owner is left".
 */
export async function lockOwnerIds(db: Db, tenantId: string): Promise<string[]> {
  let query = db
    .selectFrom('console_accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
  if (isPostgres(db)) query = query.forUpdate()
  return (await query.execute()).map((row) => row.id)
}

export async function updateConsoleAccountRole(
  db: Db,
  tenantId: string,
  id: string,
  role: string,
): Promise<void> {
  await db
    .updateTable('console_accounts')
    .set({ role })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute()
}

export async function deleteConsoleAccount(db: Db, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('console_accounts').where('tenant_id', '=', tenantId).where('id', '=', id).execute()
}

export async function recordConsoleLogin(db: Db, tenantId: string, id: string, at: string): Promise<void> {
  await db
    .updateTable('console_accounts')
    .set({ last_login_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute()
}
