import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * One row per job whose cycle some process is running: with PostgreSQL several Roster instances
 * share the jobs, and the row (taken atomically, renewed while the cycle runs, expiring if its
 * holder dies) makes sure only one of them runs a given job's cycle at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = schemaTypes(db)
  await db.schema
    .createTable('provisioning_leases')
    // A deleted job takes its lease with it.
    .addColumn('job_id', text, (c) => c.primaryKey().references('provisioning_jobs.id').onDelete('cascade'))
    // `host:pid:random` of the holding process (job-lease.ts).
    .addColumn('owner', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('acquired_at', text, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provisioning_leases').execute()
}
