import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * The admin console: people who sign in (accounts), their sessions, one-time setup links, the
 * account that created an access token (its tokens die with its rights), and failed SCIM writes
 * in the audit trail (outcome, status, detail). Secrets (session ids, setup codes) are stored only
 * as SHA-256 hashes, passwords only as scrypt hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = schemaTypes(db)
  await db.schema
    .createTable('console_accounts')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email', text, (c) => c.notNull())
    .addColumn('email_lower', text, (c) => c.notNull())
    .addColumn('display_name', text, (c) => c.notNull())
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('password_hash', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_login_at', text)
    .execute()
  await db.schema
    .createIndex('console_accounts_email')
    .unique()
    .on('console_accounts')
    .columns(['tenant_id', 'email_lower'])
    .execute()

  await db.schema
    .createTable('console_sessions')
    .addColumn('id_hash', text, (c) => c.primaryKey())
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', text, (c) => c.notNull().references('console_accounts.id').onDelete('cascade'))
    .addColumn('csrf_token', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_seen_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .execute()
  // Logging an account out everywhere (removal) and pruning expired sessions.
  await db.schema
    .createIndex('console_sessions_account')
    .on('console_sessions')
    .columns(['tenant_id', 'account_id'])
    .execute()

  await db.schema
    .createTable('setup_links')
    .addColumn('code_hash', text, (c) => c.primaryKey())
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('email', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .execute()

  await db.schema.alterTable('access_tokens').addColumn('created_by_account', text).execute()
  await db.schema
    .createIndex('access_tokens_created_by')
    .on('access_tokens')
    .columns(['tenant_id', 'created_by_account'])
    .execute()

  // One statement per column: SQLite's ALTER TABLE adds one column at a time.
  await db.schema
    .alterTable('audit_events')
    .addColumn('outcome', text, (c) => c.notNull().defaultTo('success'))
    .execute()
  await db.schema.alterTable('audit_events').addColumn('status', 'integer').execute()
  await db.schema.alterTable('audit_events').addColumn('detail', text).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['detail', 'status', 'outcome']) {
    await db.schema.alterTable('audit_events').dropColumn(column).execute()
  }
  await db.schema.dropIndex('access_tokens_created_by').execute()
  await db.schema.alterTable('access_tokens').dropColumn('created_by_account').execute()
  for (const table of ['setup_links', 'console_sessions', 'console_accounts']) {
    await db.schema.dropTable(table).execute()
  }
}
