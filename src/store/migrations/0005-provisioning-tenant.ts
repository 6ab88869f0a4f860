import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * A provisioning job belongs to the console tenant whose admins manage it: the admin API scopes
 * every query to the caller's tenant. Null for jobs created by the CLI before this migration (or
 * without a tenant): those are managed by the CLI only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = schemaTypes(db)
  await db.schema.alterTable('provisioning_jobs').addColumn('tenant_id', text).execute()
  await db.schema
    .createIndex('provisioning_jobs_tenant')
    .on('provisioning_jobs')
    .column('tenant_id')
    .execute()
}
