import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * The provisioning service (issue 6): jobs (source → SCIM target), the links between source and
 * target objects (the "connector data store" that makes cycles incremental and crash-safe), cycles,
 * and one log entry per object per cycle. JSON columns hold configuration the engine validates on
 * save; the target token is stored because the service must present it, and is never logged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text, serialKey } = schemaTypes(db)
  await db.schema
    .createTable('provisioning_jobs')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('source', text, (c) => c.notNull())
    .addColumn('target_url', text, (c) => c.notNull())
    .addColumn('target_token', text, (c) => c.notNull())
    .addColumn('mappings', text, (c) => c.notNull())
    .addColumn('scope', text, (c) => c.notNull())
    .addColumn('settings', text, (c) => c.notNull())
    .addColumn('state', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    // 1 until an initial cycle completes, and again after "Restart": every in-scope object is compared.
    .addColumn('needs_initial', 'integer', (c) => c.notNull())
    // Feed-capable sources continue from here; file sources diff against the links' hashes instead.
    .addColumn('watermark', text)
    .execute()

  await db.schema
    .createTable('provisioning_links')
    .addColumn('job_id', text, (c) => c.notNull().references('provisioning_jobs.id').onDelete('cascade'))
    .addColumn('object_type', text, (c) => c.notNull())
    .addColumn('source_id', text, (c) => c.notNull())
    .addColumn('target_id', text, (c) => c.notNull())
    // Hash of the source object last provisioned successfully; null makes the next cycle process it.
    .addColumn('source_hash', text)
    .addColumn('in_scope', 'integer', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    // JSON [{ target, sourceId }]: references (manager, members) not in the target yet, retried every cycle.
    .addColumn('unresolved', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('provisioning_links_pk', ['job_id', 'object_type', 'source_id'])
    .execute()

  await db.schema
    .createTable('provisioning_cycles')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('job_id', text, (c) => c.notNull().references('provisioning_jobs.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('started_at', text, (c) => c.notNull())
    .addColumn('finished_at', text)
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('counts', text, (c) => c.notNull())
    .addColumn('in_scope', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull())
    // Why a cycle failed or was quarantined, in words an operator can act on.
    .addColumn('message', text)
    .execute()
  await db.schema
    .createIndex('provisioning_cycles_job')
    .on('provisioning_cycles')
    .columns(['job_id', 'started_at'])
    .execute()

  await db.schema
    .createTable('provisioning_log_entries')
    .addColumn('id', serialKey.type, serialKey.build)
    .addColumn('job_id', text, (c) => c.notNull().references('provisioning_jobs.id').onDelete('cascade'))
    .addColumn('cycle_id', text, (c) => c.notNull())
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('object_type', text, (c) => c.notNull())
    .addColumn('source_id', text, (c) => c.notNull())
    .addColumn('display_name', text)
    .addColumn('target_id', text)
    .addColumn('action', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('steps', text, (c) => c.notNull())
    .addColumn('modified', text, (c) => c.notNull())
    .addColumn('error_code', text)
    .addColumn('message', text, (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute()
  // The log views: a cycle, one object's history, failures, a time window — each newest first.
  const indexes: Array<[string, string[]]> = [
    ['provisioning_log_cycle', ['job_id', 'cycle_id', 'id']],
    ['provisioning_log_object', ['job_id', 'source_id', 'id']],
    ['provisioning_log_status', ['job_id', 'status', 'id']],
    ['provisioning_log_time', ['job_id', 'at']],
  ]
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('provisioning_log_entries').columns(columns).execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'provisioning_log_entries',
    'provisioning_cycles',
    'provisioning_links',
    'provisioning_jobs',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
