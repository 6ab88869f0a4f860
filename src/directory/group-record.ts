import { GROUP_SCHEMA } from '../scim/schema/group.js'
import type { MemberRow } from '../store/group-members-repository.js'
import type { GroupColumns, GroupRow } from '../store/groups-repository.js'
import { displayNameOf, etagOf } from './user-record.js'

type Json = Record<string, unknown>

/** Splits a canonical SCIM group (without members: they are rows of their own) into its columns. */
export function groupColumns(resource: Json, lastModified: string, version: number): GroupColumns {
  const displayName = resource.displayName as string
  return {
    display_name: displayName,
    display_name_lower: displayName.toLowerCase(),
    external_id: typeof resource.externalId === 'string' ? resource.externalId : null,
    last_modified: lastModified,
    version,
  }
}

/** The canonical resource of a stored group, members aside: what PATCH operations apply to. */
export function groupResourceOf(row: Pick<GroupRow, 'display_name' | 'external_id'>): Json {
  const resource: Json = { schemas: [GROUP_SCHEMA] }
  if (row.external_id !== null) resource.externalId = row.external_id
  resource.displayName = row.display_name
  return resource
}

/** The SCIM representation without `members`, which are rendered (and streamed) separately. */
export function renderGroupHead(row: GroupRow, baseUrl: string): Json {
  const { schemas, ...attributes } = groupResourceOf(row)
  return {
    schemas,
    id: row.id,
    ...attributes,
    meta: {
      resourceType: 'Group',
      created: row.created,
      lastModified: row.last_modified,
      location: `${baseUrl}/Groups/${row.id}`,
      version: etagOf(row.version),
    },
  }
}

/** One `members` element: `display` comes from the member's current name. */
export function renderMember(row: MemberRow, baseUrl: string): Json {
  const display =
    row.member_type === 'Group'
      ? row.group_display_name
      : row.user_name !== null
        ? displayNameOf({ ...row, id: row.member_id, user_name: row.user_name })
        : null
  return {
    value: row.member_id,
    $ref: `${baseUrl}/${row.member_type === 'Group' ? 'Groups' : 'Users'}/${row.member_id}`,
    ...(display === null ? {} : { display }),
    type: row.member_type,
  }
}
