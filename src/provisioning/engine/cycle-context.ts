import type { Db } from '../../store/database.js'
import type { ProvisioningJob } from '../jobs/job-config.js'
import type { CompiledMappings } from '../mapping/compile-mappings.js'
import { type Link, linkKey, type ObjectType, saveLink } from '../state/links-repository.js'
import { insertLogEntry } from '../state/log-repository.js'
import { type RetryPolicy, withRetries } from '../target/retry.js'
import type { ScimTargetClient } from '../target/scim-target-client.js'
import type { CompiledJob } from './compile-job.js'
import type { ProgressTracker } from './cycle-progress.js'
import { FailureBreaker } from './failure-breaker.js'
import type { ObjectLog } from './object-log.js'

/** Everything the per-object steps of one cycle share. */
export interface CycleContext {
  db: Db
  job: ProvisioningJob
  client: ScimTargetClient
  links: Map<string, Link>
  users: CompiledMappings
  groups: CompiledMappings
  retry: RetryPolicy
  progress: ProgressTracker
  /** Users and groups linked during this cycle: groups that list them get their members re-checked. */
  newlyLinked: Set<string>
  /** Source ids that are (or will be) in the target: in-scope groups, in-scope users not disabled in the source. */
  provisionable: ReadonlySet<string>
  sourceDescription: string
  /** Trips on a streak of failures only the target can cause: the cycle then stops, quarantined. */
  breaker: FailureBreaker
}

/** A cycle's context from its parts: what every cycle (scheduled or on demand) starts with. */
export function newCycleContext(parts: {
  db: Db
  job: ProvisioningJob
  client: ScimTargetClient
  links: Map<string, Link>
  compiled: Pick<CompiledJob, 'users' | 'groups'>
  retry: RetryPolicy
  progress: ProgressTracker
  provisionable: ReadonlySet<string>
  sourceDescription: string
  breaker?: FailureBreaker
}): CycleContext {
  const { compiled, breaker, ...rest } = parts
  return {
    ...rest,
    users: compiled.users,
    groups: compiled.groups,
    newlyLinked: new Set(),
    breaker: breaker ?? new FailureBreaker(),
  }
}

export function linkOf(context: CycleContext, objectType: ObjectType, sourceId: string): Link | undefined {
  return context.links.get(linkKey(objectType, sourceId))
}

/** A source id's target id: users and groups share the namespace (members can be either). */
export function targetIdOf(context: CycleContext, sourceId: string): string | undefined {
  return (linkOf(context, 'user', sourceId) ?? linkOf(context, 'group', sourceId))?.targetId
}

export async function storeLink(context: CycleContext, link: Link): Promise<void> {
  context.links.set(linkKey(link.objectType, link.sourceId), link)
  await saveLink(context.db, context.job.id, link)
}

/**
 * Links a source object to the account just matched or created in the target. No hash yet: until
 * the cycle finishes the object, it stays unfinished work for the next one. Groups listing it get
 * their members re-checked this cycle (`newlyLinked`).
 */
export async function linkNewAccount(
  context: CycleContext,
  objectType: ObjectType,
  sourceId: string,
  targetId: string,
  state: Pick<Link, 'disabled' | 'unresolved'> = { disabled: false, unresolved: [] },
): Promise<Link> {
  const link: Link = {
    objectType,
    sourceId,
    targetId,
    sourceHash: null,
    inScope: true,
    ...state,
    goneSince: null,
  }
  await storeLink(context, link)
  context.newlyLinked.add(sourceId)
  return link
}

/** One request (or create-with-rematch) with the job's retry policy; retries land in the object's log. */
export function attempt<T>(context: CycleContext, log: ObjectLog, operation: () => Promise<T>): Promise<T> {
  return withRetries(operation, { ...context.retry, onRetry: log.onRetry })
}

/** The object is done: its one log entry for this cycle, and the progress count. */
export async function finish(context: CycleContext, log: ObjectLog): Promise<void> {
  const entry = log.entry(context.job.id, context.progress.cycle.id)
  await insertLogEntry(context.db, entry)
  context.progress.record(entry.action, entry.status)
  context.breaker.record(entry.status, entry.errorCode, entry.message)
}
