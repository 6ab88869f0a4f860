import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/** The first schema: tenants, access tokens, users (employees), their archive and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text, serialKey } = schemaTypes(db)
  await db.schema
    .createTable('tenants')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('slug', text, (c) => c.notNull().unique())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('rules', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('access_tokens')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull())
    .addColumn('scope', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('token_hint', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_used_at', text)
    .addColumn('revoked_at', text)
    .execute()
  await db.schema
    .createIndex('access_tokens_tenant')
    .on('access_tokens')
    .columns(['tenant_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('user_name', text, (c) => c.notNull())
    .addColumn('user_name_lower', text, (c) => c.notNull())
    .addColumn('external_id', text)
    .addColumn('work_email_lower', text)
    .addColumn('display_name', text)
    .addColumn('given_name', text)
    .addColumn('family_name', text)
    .addColumn('title', text)
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('employee_number', text)
    .addColumn('cost_center', text)
    .addColumn('organization', text)
    .addColumn('division', text)
    .addColumn('department', text)
    .addColumn('manager_id', text)
    .addColumn('created', text, (c) => c.notNull())
    .addColumn('last_modified', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('resource', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
    .execute()
  // Every index starts with the tenant: no query can be served from another tenant's rows.
  await db.schema
    .createIndex('users_user_name')
    .unique()
    .on('users')
    .columns(['tenant_id', 'user_name_lower'])
    .execute()
  await db.schema.createIndex('users_external_id').on('users').columns(['tenant_id', 'external_id']).execute()
  await db.schema
    .createIndex('users_work_email')
    .on('users')
    .columns(['tenant_id', 'work_email_lower'])
    .execute()
  await db.schema.createIndex('users_manager').on('users').columns(['tenant_id', 'manager_id']).execute()
  await db.schema.createIndex('users_created').on('users').columns(['tenant_id', 'created', 'id']).execute()
  await db.schema
    .createIndex('users_last_modified')
    .on('users')
    .columns(['tenant_id', 'last_modified'])
    .execute()

  await db.schema
    .createTable('archived_users')
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('user_name', text, (c) => c.notNull())
    .addColumn('resource', text, (c) => c.notNull())
    .addColumn('created', text, (c) => c.notNull())
    .addColumn('deleted_at', text, (c) => c.notNull())
    .addColumn('deleted_by_token', text)
    .addPrimaryKeyConstraint('archived_users_pk', ['tenant_id', 'id'])
    .execute()

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', serialKey.type, serialKey.build)
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('token_id', text)
    .addColumn('request_id', text)
    .addColumn('operation', text, (c) => c.notNull())
    .addColumn('resource_type', text, (c) => c.notNull())
    .addColumn('resource_id', text, (c) => c.notNull())
    .addColumn('changes', text, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('audit_events_tenant')
    .on('audit_events')
    .columns(['tenant_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('audit_events_resource')
    .on('audit_events')
    .columns(['tenant_id', 'resource_id', 'seq'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_events', 'archived_users', 'users', 'access_tokens', 'tenants']) {
    await db.schema.dropTable(table).execute()
  }
}
