import type { Kysely } from 'kysely'

/**
 * Drops the (tenant_id, last_modified) index. Every PATCH and PUT moves a user's entry in it, from
 * a random leaf page to the end: one more page per write to copy into the WAL and back, about a
 * tenth of a PATCH's cost on SQLite at 100,000 users. What it served is rare: no identity provider
 * Roster targets filters or sorts on meta.lastModified (Entra and Okta look users up by userName,
 * externalId, id or work email, all indexed), and such a filter still works, by scanning the
 * tenant's rows in SQL: at 100,000 users a `meta.lastModified gt` page takes 40–120 ms, a page
 * sorted by it ~170 ms.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_last_modified').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('users_last_modified')
    .on('users')
    .columns(['tenant_id', 'last_modified'])
    .execute()
}
