import type { AttributeMapping } from '../mapping/attribute-mapping.js'
import { DEFAULT_GROUP_MAPPINGS, DEFAULT_USER_MAPPINGS } from '../mapping/default-mappings.js'
import type { ScopingFilter } from '../scoping/scoping-filter.js'

/**
 * What a provisioning job is made of (entra-scim.md §10.1): a source, a SCIM target, mappings, a
 * scope and settings. These are the parsed shapes of the JSON columns of `provisioning_jobs`.
 */

/** The embedded source today; LDAP and SCIM sources add kinds here. */
export interface JobSource {
  kind: 'file'
  /** A .json or .csv directory file. */
  path: string
}

export interface JobMappings {
  users: AttributeMapping[]
  groups: AttributeMapping[]
}

export interface JobScope {
  /** 'assigned': members of `groupIds` (nested groups expanded) and `userIds`; 'all': everyone. */
  mode: 'all' | 'assigned'
  groupIds?: string[]
  userIds?: string[]
  /** Expand nested groups in 'assigned' mode (default true; Entra cannot). */
  nested?: boolean
  /** Attribute scoping filters for users: clauses ANDed, filters ORed. */
  scopingFilters?: ScopingFilter[]
}

/**
 * - `delete` (Entra's behaviour): out of scope or soft-deleted → disable; gone from the source → DELETE
 *   (with `deleteAfterDays`: disabled first, DELETEd once gone that long).
 * - `disable`: never DELETE; an object gone from the source is disabled too (HR mistakes happen).
 * - `none`: leave accounts alone when they leave scope or the source.
 */
export type DeprovisionPolicy = 'delete' | 'disable' | 'none'

export interface JobSettings {
  /** Minutes between incremental cycles, at least 1. */
  intervalMinutes: number
  deprovision: DeprovisionPolicy
  notificationEmail?: string
  /** More disables + deletes than this in one cycle are staged and the cycle quarantined. */
  deletionThreshold: number
  /** Ceiling of the adaptive rate limit toward the target, requests/s. */
  rateLimitPerSecond: number
  /** Objects worked on at once (requests in flight are capped by the limiter as well). */
  concurrency: number
  /**
   * Policy `delete` only: a user gone from the source is disabled first and DELETEd once it has been
   * gone this many days, so an HR mistake can be undone. Absent or 0: DELETE at once. Groups have
   * no disabled state: they are deleted at once either way.
   */
  deleteAfterDays?: number
}

export const DEFAULT_SETTINGS: JobSettings = {
  intervalMinutes: 40,
  deprovision: 'delete',
  deletionThreshold: 500,
  rateLimitPerSecond: 25,
  concurrency: 8,
}

export const DEFAULT_MAPPINGS: JobMappings = {
  users: [...DEFAULT_USER_MAPPINGS],
  groups: [...DEFAULT_GROUP_MAPPINGS],
}

export type JobState = 'off' | 'on'

export interface ProvisioningJob {
  id: string
  name: string
  source: JobSource
  targetUrl: string
  targetToken: string
  mappings: JobMappings
  scope: JobScope
  settings: JobSettings
  state: JobState
  createdAt: string
  updatedAt: string
  needsInitial: boolean
  watermark: string | null
}

/** A problem in a job's configuration, found when it is saved. */
export class JobConfigError extends Error {
  readonly code = 'ERR_PROVISIONING_JOB_CONFIG'
  override name = 'JobConfigError'
}

const MAX_DELETE_AFTER_DAYS = 36_500

/** Every setting's name, optional ones included: an error about one of them names it. */
export const SETTING_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(DEFAULT_SETTINGS),
  'notificationEmail',
  'deleteAfterDays',
])

/** Settings with defaults filled in; throws JobConfigError naming the bad value. */
export function normalizeSettings(settings: Partial<JobSettings> = {}): JobSettings {
  const merged: JobSettings = { ...DEFAULT_SETTINGS, ...settings }
  if (!Number.isFinite(merged.intervalMinutes) || merged.intervalMinutes < 1)
    throw new JobConfigError(`intervalMinutes must be at least 1; got ${merged.intervalMinutes}`)
  if (!['delete', 'disable', 'none'].includes(merged.deprovision))
    throw new JobConfigError(`deprovision must be delete, disable or none; got "${merged.deprovision}"`)
  if (!Number.isInteger(merged.deletionThreshold) || merged.deletionThreshold < 0)
    throw new JobConfigError(`deletionThreshold must be a whole number ≥ 0; got ${merged.deletionThreshold}`)
  if (!(merged.rateLimitPerSecond > 0))
    throw new JobConfigError(`rateLimitPerSecond must be positive; got ${merged.rateLimitPerSecond}`)
  if (!Number.isInteger(merged.concurrency) || merged.concurrency < 1)
    throw new JobConfigError(`concurrency must be a whole number ≥ 1; got ${merged.concurrency}`)
  // JSON has no undefined: null removes the grace period (as 0 does).
  const days: unknown = merged.deleteAfterDays
  if (days === undefined || days === null) delete merged.deleteAfterDays
  // The ceiling keeps the delete date a real date (a century is "never" in practice).
  else if (!Number.isInteger(days) || (days as number) < 0 || (days as number) > MAX_DELETE_AFTER_DAYS)
    throw new JobConfigError(
      `deleteAfterDays must be a whole number of days from 0 to ${MAX_DELETE_AFTER_DAYS}; got ${typeof days === 'string' ? `"${days}"` : String(days)}`,
    )
  return merged
}

/** What may be shown of a secret token: its first 6 characters. */
export function tokenHint(token: string): string {
  return token.length <= 6 ? '…' : `${token.slice(0, 6)}…`
}
