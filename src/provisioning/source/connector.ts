/**
 * The source connector: how the provisioning service reads the directory it provisions FROM (the role
 * Entra ID plays for itself). Every source (a JSON/CSV directory file today; LDAP and SCIM next) is
 * reduced to the same three things: users, groups, and memberships (`SourceGroup.members`).
 *
 * A connector has to implement `readSnapshot()`: the whole directory, read as one consistent picture.
 * Sources with a change feed (LDAP syncrepl / DirSync, Graph delta, a SCIM source with `meta.lastModified`)
 * also implement `readChanges(watermark)`; the service then reads only what changed since the watermark,
 * like Entra's incremental cycles. Sources without one (a file) leave it out, and the service diffs the
 * snapshot against the per-object hashes it kept from the previous cycle (`snapshot-diff.ts`).
 *
 * Contract:
 * - `id` is the source's stable object id (Entra objectId, LDAP entryUUID, SCIM id, the file's `id`). It
 *   never changes for an object and is never reused; the service links source and target objects by it.
 * - User and group ids share one namespace, because a group's `members` lists both.
 * - Attribute names follow Entra's user schema (`userPrincipalName`, `mail`, `givenName`, `surname`,
 *   `displayName`, `jobTitle`, `department`, `telephoneNumber`, `mobile`, `employeeId`, `companyName`,
 *   `costCenter`, `division`, `accountEnabled`, `manager`, …) so the default mappings apply to any source.
 *   `manager` holds the manager's source id (not a name or a DN): connectors resolve it.
 * - A null or missing attribute means "no value"; the two are equivalent everywhere.
 * - `softDeleted` is the recycle-bin state (Entra's soft delete): the object still exists and is
 *   disabled in the target. An object that is gone from the source is hard-deleted.
 * - A feed-capable connector returns, with its snapshot, the watermark from which its feed continues, so
 *   that no change made while the snapshot was read is lost. When a watermark is no longer usable (the
 *   feed expired it), `readChanges` throws `SourceError` `ERR_SOURCE_WATERMARK_EXPIRED` and the service
 *   falls back to a snapshot.
 * - Problems in the source data come back as `SourceIssue`s: errors make `readSnapshot` throw a
 *   `SourceError` listing all of them; warnings travel with the snapshot for the provisioning logs.
 */

/** One attribute value. Multi-valued attributes are string arrays (e.g. `proxyAddresses`). */
export type SourceAttributeValue = string | boolean | number | string[] | null

export type SourceAttributes = Record<string, SourceAttributeValue>

export interface SourceUser {
  /** Stable source object id. */
  readonly id: string
  /** Entra-like attribute names; `manager` is the manager's source id. */
  readonly attributes: SourceAttributes
  /** In the source's recycle bin: still known, to be disabled in the target. */
  readonly softDeleted?: boolean
}

export interface SourceGroup {
  /** Stable source object id, in the same namespace as user ids. */
  readonly id: string
  readonly displayName: string
  /** Other group attributes (`description`, `mailNickname`, …). */
  readonly attributes: SourceAttributes
  /** Source ids of the member users and groups (nested groups are members too). */
  readonly members: readonly string[]
}

export interface SourceSnapshot {
  readonly users: readonly SourceUser[]
  readonly groups: readonly SourceGroup[]
  /** Feed-capable sources: where `readChanges` continues from after this snapshot. */
  readonly watermark?: string
  /** Non-fatal problems found while reading, for the provisioning logs' import step. */
  readonly warnings?: readonly SourceIssue[]
}

/** What changed in a user, when the source knows (a snapshot diff does; some feeds don't). */
export interface SourceUserDelta {
  /** The user did not exist at the previous watermark/snapshot. */
  readonly added: boolean
  /** Names of the attributes whose value changed, sorted; every attribute with a value when added. */
  readonly attributes: readonly string[]
  readonly softDeletedChanged: boolean
}

/** What changed in a group, when the source knows. */
export interface SourceGroupDelta {
  readonly added: boolean
  readonly displayNameChanged: boolean
  /** Names of the attributes whose value changed, sorted. */
  readonly attributes: readonly string[]
  /** Member ids that joined / left, sorted. */
  readonly membersAdded: readonly string[]
  readonly membersRemoved: readonly string[]
}

/**
 * An upsert always carries the whole current object: scoping filters and expressions may read attributes
 * that did not change. `delta` is a hint for minimal updates; without it, treat everything as changed.
 */
export interface SourceUserUpsert {
  readonly kind: 'upsert'
  readonly objectType: 'user'
  readonly object: SourceUser
  readonly delta?: SourceUserDelta
}

export interface SourceGroupUpsert {
  readonly kind: 'upsert'
  readonly objectType: 'group'
  readonly object: SourceGroup
  readonly delta?: SourceGroupDelta
}

/** Gone from the source (hard delete). A soft delete is an upsert with `softDeleted: true`. */
export interface SourceObjectDelete {
  readonly kind: 'delete'
  readonly objectType: 'user' | 'group'
  readonly id: string
}

export type SourceChange = SourceUserUpsert | SourceGroupUpsert | SourceObjectDelete

export interface SourceChangeBatch {
  readonly changes: readonly SourceChange[]
  /** Pass to the next `readChanges`; persist it only after the changes are processed. */
  readonly watermark: string
  /** Non-fatal problems found while reading. */
  readonly warnings?: readonly SourceIssue[]
}

export interface SourceConnector {
  /** For logs and errors, e.g. `directory file samples/directory.json`. Never contains secrets. */
  readonly description: string
  readSnapshot(): Promise<SourceSnapshot>
  /** Present only where the source has a change feed. */
  readChanges?(watermark: string): Promise<SourceChangeBatch>
}

/** Stable codes for problems in source data (see `SourceIssue`). */
export type SourceIssueCode =
  | 'invalid-syntax'
  | 'invalid-shape'
  | 'invalid-value'
  | 'missing-column'
  | 'duplicate-column'
  | 'field-count'
  | 'duplicate-id'
  | 'duplicate-user-principal-name'
  | 'unknown-manager'
  | 'manager-cycle'
  | 'unknown-member'
  | 'duplicate-member'

/** A problem in source data, located as precisely as the source allows. */
export interface SourceIssue {
  readonly severity: 'error' | 'warning'
  readonly code: SourceIssueCode
  /** What is wrong and what to do, without the location (see `formatSourceIssue`). */
  readonly message: string
  readonly file?: string
  /** 1-based line where the offending row/object starts. */
  readonly line?: number
  /** 1-based column, for syntax errors. */
  readonly column?: number
  /** Which object, e.g. `users[3]` or `row 4`; with the id when known. */
  readonly object?: string
  /** The attribute or column, e.g. `manager`, `attributes.mail`. */
  readonly field?: string
}
