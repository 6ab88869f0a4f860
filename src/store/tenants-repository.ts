import type { Insertable, Selectable } from 'kysely'
import type { Db, TenantTable } from './database.js'

export type TenantRow = Selectable<TenantTable>

export async function insertTenant(db: Db, row: Insertable<TenantTable>): Promise<void> {
  await db.insertInto('tenants').values(row).execute()
}

export async function findTenantBySlug(db: Db, slug: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst()
}

export async function findTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listTenants(db: Db): Promise<TenantRow[]> {
  return db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('slug').execute()
}
