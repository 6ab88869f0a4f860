import type { Generated, Kysely } from 'kysely'

/**
 * Table types. Times are ISO-8601 UTC strings with millisecond precision (`toISOString()`), so they
 * order the same as text on every dialect. Booleans are 0/1 integers for the same reason.
 */
export interface TenantTable {
  id: string
  slug: string
  name: string
  /** 'alexis' (the tutorial's HR rules) or 'rfc' (plain RFC 7643). */
  rules: string
  created_at: string
}

export interface AccessTokenTable {
  id: string
  tenant_id: string
  name: string
  description: string
  /** Space-separated scopes, e.g. 'scim'. */
  scope: string
  /** Hex SHA-256 of the whole secret; the secret itself is never stored. */
  token_hash: string
  /** The first characters of the secret, enough for a person to recognise it in a list. */
  token_hint: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  /** The console account that created it (null: made with the CLI); revoked when that account loses the right. */
  created_by_account: string | null
}

/**
 * Employees as SCIM Users. Hot attributes are typed, indexed columns; `resource` keeps the whole
 * canonical SCIM JSON (without id and meta) so every attribute and extension round-trips.
 */
export interface UserTable {
  tenant_id: string
  id: string
  user_name: string
  /** userName lower-cased in JS (Unicode-aware): the uniqueness key and the `eq` index. */
  user_name_lower: string
  external_id: string | null
  /** value of the emails element with type "work", lower-cased; indexed for Entra's matching. */
  work_email_lower: string | null
  display_name: string | null
  given_name: string | null
  family_name: string | null
  title: string | null
  active: number
  employee_number: string | null
  cost_center: string | null
  organization: string | null
  division: string | null
  department: string | null
  manager_id: string | null
  created: string
  last_modified: string
  version: number
  resource: string
  /**
   * seq of the user's newest audit event: the head of its history, which runs back through
   * audit_events.prev_seq (migration 0008). Set by recordAudit, never by the SCIM columns.
   */
  audit_head: Generated<number | null>
}

/** Users removed over SCIM: gone from the API, kept for the audit trail (and userName reusable). */
export interface ArchivedUserTable {
  tenant_id: string
  id: string
  user_name: string
  resource: string
  created: string
  deleted_at: string
  deleted_by_token: string | null
}

export interface AuditEventTable {
  seq: Generated<number>
  tenant_id: string
  at: string
  /** Access token id that made the change (null for CLI/console actions). */
  token_id: string | null
  request_id: string | null
  /** create | replace | patch | delete */
  operation: string
  resource_type: string
  resource_id: string
  /** JSON array of { path, old, new }. */
  changes: string
  /**
   * seq of the previous successful change of the same resource (null for its first, and for
   * refused writes, which are in no history): a resource's history is a chain from its head.
   */
  prev_seq: Generated<number | null>
  /** 'success', or 'failure' for a SCIM write that was refused (nothing changed). */
  outcome: Generated<string>
  /** HTTP status of a failed write (null for successful ones). */
  status: number | null
  /** The error detail of a failed write, never the request body. */
  detail: string | null
}

/** SCIM Groups (teams, departments); members live in group_members. */
export interface GroupTable {
  tenant_id: string
  id: string
  display_name: string
  /** displayName lower-cased in JS: the uniqueness key (unique per tenant, case-insensitively). */
  display_name_lower: string
  external_id: string | null
  created: string
  last_modified: string
  version: number
  /** seq of the group's newest audit event (see UserTable.audit_head). */
  audit_head: Generated<number | null>
}

/** One direct membership: `member_id` is a user (member_type 'User') or a group ('Group') of the tenant. */
export interface GroupMemberTable {
  tenant_id: string
  group_id: string
  member_id: string
  member_type: 'User' | 'Group'
}

/** A person who signs in to the admin console of one tenant. */
export interface ConsoleAccountTable {
  id: string
  tenant_id: string
  email: string
  /** email lower-cased in JS: unique per tenant. */
  email_lower: string
  display_name: string
  /** owner | admin | viewer */
  role: string
  /** scrypt hash with its parameters and salt (console/passwords.ts). */
  password_hash: string
  created_at: string
  last_login_at: string | null
}

/** A signed-in console session; the cookie holds the secret id, the row only its SHA-256. */
export interface ConsoleSessionTable {
  id_hash: string
  tenant_id: string
  account_id: string
  csrf_token: string
  created_at: string
  last_seen_at: string
  /** last_seen_at plus the idle timeout; moved forward as the session is used. */
  expires_at: string
}

/** A one-time link that lets its holder create a console account (the first owner, or an invitee). */
export interface SetupLinkTable {
  code_hash: string
  tenant_id: string
  role: string
  /** When set, the account must use this email. */
  email: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface Database {
  tenants: TenantTable
  access_tokens: AccessTokenTable
  users: UserTable
  archived_users: ArchivedUserTable
  audit_events: AuditEventTable
  audit_heads: AuditHeadTable
  groups: GroupTable
  group_members: GroupMemberTable
  console_accounts: ConsoleAccountTable
  console_sessions: ConsoleSessionTable
  setup_links: SetupLinkTable
  provisioning_jobs: ProvisioningJobTable
  provisioning_links: ProvisioningLinkTable
  provisioning_cycles: ProvisioningCycleTable
  provisioning_log_entries: ProvisioningLogEntryTable
  provisioning_leases: ProvisioningLeaseTable
}

export type Db = Kysely<Database>

/** The history heads of deleted users and groups, whose rows (and audit_head columns) are gone. */
export interface AuditHeadTable {
  tenant_id: string
  resource_id: string
  seq: number
}

/** A provisioning job: source connector → SCIM target (issue 6). JSON columns are validated on save. */
export interface ProvisioningJobTable {
  id: string
  name: string
  /** JSON: { kind: 'file', path }. */
  source: string
  target_url: string
  /** The target's bearer token: stored because the service must send it; never logged or shown. */
  target_token: string
  /** JSON: { users: AttributeMapping[], groups: AttributeMapping[] }. */
  mappings: string
  /** JSON: { mode: 'all' | 'assigned', groupIds, userIds, scopingFilters }. */
  scope: string
  /** JSON: interval, deprovisioning policy, notification email, deletion threshold, rate limit. */
  settings: string
  /** 'off' | 'on' */
  state: string
  created_at: string
  updated_at: string
  /** 1: the next cycle is an initial one (new job, or Restart). */
  needs_initial: number
  watermark: string | null
  /** The console tenant whose admins manage the job (0005); null: CLI-managed only. */
  tenant_id?: string | null
}

/** Source object ↔ target object of one job, with what the engine needs to stay incremental. */
export interface ProvisioningLinkTable {
  job_id: string
  /** 'user' | 'group' */
  object_type: string
  source_id: string
  target_id: string
  /** Hash of the source object last provisioned successfully; null: process it next cycle. */
  source_hash: string | null
  in_scope: number
  disabled: number
  /** JSON [{ target, sourceId }] of references not resolvable yet, or null. */
  unresolved: string | null
  updated_at: string
  /** ISO time the source object was first seen gone, for the delete grace period (0007); null: not gone. */
  gone_since: string | null
}

export interface ProvisioningCycleTable {
  id: string
  job_id: string
  /** 'initial' | 'incremental' | 'on-demand' */
  kind: string
  started_at: string
  finished_at: string | null
  /** 'running' | 'succeeded' | 'failed' | 'quarantined' */
  status: string
  /** JSON: { create, update, disable, delete, skip, other, failure } */
  counts: string
  in_scope: number
  processed: number
  message: string | null
}

/** One object in one cycle: what was done, how it went, and why. */
export interface ProvisioningLogEntryTable {
  id: Generated<number>
  job_id: string
  cycle_id: string
  at: string
  /** 'user' | 'group' */
  object_type: string
  source_id: string
  display_name: string | null
  target_id: string | null
  /** create | update | disable | delete | skip | other */
  action: string
  /** success | failure | skipped | warning */
  status: string
  /** JSON [{ name, status, description }]. */
  steps: string
  /** JSON [{ name, old, new }]. */
  modified: string
  error_code: string | null
  message: string
  duration_ms: number
}

/** Which process runs a job's cycle (0006): at most one in the deployment, until `expires_at`. */
export interface ProvisioningLeaseTable {
  job_id: string
  /** `host:pid:random` of the holding process. */
  owner: string
  /** Renewed while the cycle runs; after it, another process may take the lease over. */
  expires_at: string
  acquired_at: string
}
