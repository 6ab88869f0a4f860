import type { Kysely } from 'kysely'
import { schemaTypes } from '../dialects/schema-types.js'

/**
 * SCIM Groups. Memberships are rows, not a JSON array inside the group: adding or removing a few
 * members of a 100,000-member group touches a few index entries, and reading a group without its
 * members never reads them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { text } = schemaTypes(db)
  await db.schema
    .createTable('groups')
    .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', text, (c) => c.notNull())
    .addColumn('display_name', text, (c) => c.notNull())
    .addColumn('display_name_lower', text, (c) => c.notNull())
    .addColumn('external_id', text)
    .addColumn('created', text, (c) => c.notNull())
    .addColumn('last_modified', text, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['tenant_id', 'id'])
    .execute()
  await db.schema
    .createIndex('groups_display_name')
    .unique()
    .on('groups')
    .columns(['tenant_id', 'display_name_lower'])
    .execute()
  await db.schema
    .createIndex('groups_external_id')
    .on('groups')
    .columns(['tenant_id', 'external_id'])
    .execute()
  await db.schema.createIndex('groups_created').on('groups').columns(['tenant_id', 'created', 'id']).execute()

  // member_type says which table member_id points into ('User' or 'Group'); the directory checks
  // the reference on write and removes the rows when either side is deleted.
  await db.schema
    .createTable('group_members')
    .addColumn('tenant_id', text, (c) => c.notNull())
    .addColumn('group_id', text, (c) => c.notNull())
    .addColumn('member_id', text, (c) => c.notNull())
    .addColumn('member_type', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['tenant_id', 'group_id', 'member_id'])
    .addForeignKeyConstraint(
      'group_members_group',
      ['tenant_id', 'group_id'],
      'groups',
      ['tenant_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute()
  // Reverse lookups: a user's groups, `members eq "<id>"` filters, clean-up when a member is deleted.
  await db.schema
    .createIndex('group_members_member')
    .on('group_members')
    .columns(['tenant_id', 'member_id', 'group_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('group_members').execute()
  await db.schema.dropTable('groups').execute()
}
