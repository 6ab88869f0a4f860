import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * When the engine first saw a link's source object gone (ISO time), for the grace period of the
 * `delete` policy (`deleteAfterDays`): the account is disabled then, and DELETEd once gone that long.
 * Null: the object is in the source (or no grace period applies).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = schemaTypes(db)
  await db.schema.alterTable('provisioning_links').addColumn('gone_since', text).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('provisioning_links').dropColumn('gone_since').execute()
}
