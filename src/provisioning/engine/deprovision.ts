import type { DeprovisionPolicy, JobSettings } from '../jobs/job-config.js'
import { deleteLink, type Link, linkKey } from '../state/links-repository.js'
import { isScimTargetError } from '../target/scim-target-error.js'
import { attempt, type CycleContext, finish, storeLink } from './cycle-context.js'
import { ObjectLog } from './object-log.js'

/** A linked object that left scope or the source. */
export interface DeprovisionWork {
  link: Link
  reason: 'outOfScope' | 'deleted'
  /** For the scoping step: why it is out of scope. */
  note: string
  displayName: string | null
  /** Held back by the accidental-deletion guard: the message says why and what to do. */
  staged?: string
  /** Gone from the source and within its grace period: disabled now, not DELETEd yet. */
  grace?: GracePeriod
}

/** A user gone from the source under the `delete` policy with `deleteAfterDays` (HR mistakes happen). */
export interface GracePeriod {
  days: number
  /** When it was first seen gone (ISO): kept on the link, so the clock survives restarts. */
  goneSince: string
  /** The day (YYYY-MM-DD, UTC) it is DELETEd unless it comes back. */
  deleteOn: string
}

const DAY_MS = 86_400_000

/**
 * The grace period of a linked object gone from the source, while it runs. Undefined when it does
 * not apply (another policy, no `deleteAfterDays` or 0, a group: groups have no disabled state) or is
 * over: the object is DELETEd then, as without one.
 */
export function gracePeriodOf(link: Link, settings: JobSettings, now: Date): GracePeriod | undefined {
  const days = settings.deleteAfterDays
  if (settings.deprovision !== 'delete' || !days || link.objectType !== 'user') return undefined
  const seen = Date.parse(link.goneSince ?? '')
  const since = Number.isNaN(seen) ? now.getTime() : seen
  const deleteAt = since + days * DAY_MS
  if (now.getTime() >= deleteAt) return undefined
  return {
    days,
    goneSince: new Date(since).toISOString(),
    deleteOn: new Date(deleteAt).toISOString().slice(0, 10),
  }
}

/** What the policy does with this object; 'none' when nothing is sent. */
export function deprovisionAction(
  policy: DeprovisionPolicy,
  work: Pick<DeprovisionWork, 'link' | 'reason' | 'grace'>,
): 'delete' | 'disable' | 'none' {
  if (policy === 'none') return 'none'
  if (work.link.objectType === 'group') return policy === 'delete' ? 'delete' : 'none'
  if (work.grace) return work.link.disabled ? 'none' : 'disable'
  return work.reason === 'deleted' && policy === 'delete' ? 'delete' : 'disable'
}

const graceNote = ({ deleteOn, days }: GracePeriod) =>
  `deleted on ${deleteOn} unless it comes back (grace period ${days} day${days === 1 ? '' : 's'})`

/**
 * Out of scope → disable (PATCH active=false); gone from the source → DELETE, as the job's policy
 * says (entra-scim.md §10.6), or disable first when a grace period runs. Groups have no disabled
 * state: they are deleted or left alone.
 */
export async function deprovision(context: CycleContext, work: DeprovisionWork): Promise<void> {
  const { link } = work
  const log = new ObjectLog(link.objectType, link.sourceId, work.displayName)
  log.targetId = link.targetId
  log.step(
    'import',
    'success',
    work.reason === 'deleted'
      ? `Gone from ${context.sourceDescription}`
      : `Read from ${context.sourceDescription}`,
  )
  log.step('scoping', 'skipped', work.note)
  log.step('matching', 'success', `Linked to target ${link.objectType} ${link.targetId}`)
  const action = deprovisionAction(context.job.settings.deprovision, work)
  try {
    if (work.staged) {
      log.step('action', 'skipped', work.staged)
      log.done('other', 'skipped', work.staged)
    } else if (action === 'none' && work.grace) {
      // Disabled already (out of scope, or in the source, before it went): only the clock starts.
      const message = `Gone from the source: already disabled; ${graceNote(work.grace)}`
      log.step('action', 'skipped', 'Already disabled: nothing sent')
      log.done('skip', 'skipped', message)
      await storeLink(context, { ...link, inScope: false, sourceHash: null, goneSince: work.grace.goneSince })
    } else if (action === 'none') {
      const why =
        link.objectType === 'group' && context.job.settings.deprovision === 'disable'
          ? 'groups have no disabled state and the policy never deletes'
          : 'the job’s deprovisioning policy is "none"'
      log.step('action', 'skipped', `Left in the target: ${why}`)
      log.done('skip', 'skipped', `Left in the target: ${why}`)
      await storeLink(context, { ...link, inScope: false, sourceHash: null, goneSince: null })
    } else if (action === 'delete') {
      log.action = 'delete'
      try {
        await attempt(context, log, () =>
          link.objectType === 'user'
            ? context.client.deleteUser(link.targetId)
            : context.client.deleteGroup(link.targetId),
        )
        log.step(
          'action',
          'success',
          `DELETE /${link.objectType === 'user' ? 'Users' : 'Groups'}/${link.targetId}`,
        )
      } catch (error) {
        // Already gone (deleted by hand, or our earlier DELETE's answer was lost): the goal is reached.
        if (!isScimTargetError(error) || error.category !== 'notFound') throw error
        log.step('action', 'success', 'Already gone from the target')
      }
      await forget(context, link)
      log.modified = [{ name: 'account', old: link.targetId, new: null }]
      log.done(
        'delete',
        'success',
        work.reason === 'deleted' ? deletedMessage(context, link) : 'Deleted: out of scope',
      )
    } else {
      await disable(context, log, work)
    }
  } catch (error) {
    log.fail(log.action, error)
  }
  await finish(context, log)
}

/** PATCH active=false; within a grace period the link keeps when the object went. */
async function disable(context: CycleContext, log: ObjectLog, work: DeprovisionWork): Promise<void> {
  const { link, grace } = work
  log.action = 'disable'
  try {
    await attempt(context, log, () =>
      context.client.patchUser(link.targetId, [{ op: 'replace', path: 'active', value: false }]),
    )
  } catch (error) {
    // Deleted by hand in the target: there is nothing left to disable, and asking again every
    // cycle would fail forever. Within a grace period, what it was waiting for is done already.
    if (!isScimTargetError(error) || error.category !== 'notFound') throw error
    log.step('action', 'success', 'Already gone from the target')
    await forget(context, link)
    log.modified = [{ name: 'account', old: link.targetId, new: null }]
    if (grace || work.reason === 'deleted')
      log.done('delete', 'success', 'Gone from the source, and already deleted from the target')
    else
      log.done('other', 'success', 'Out of scope, and already deleted from the target: the link is forgotten')
    return
  }
  log.step('action', 'success', 'PATCH replace active=false')
  log.modified = [{ name: 'active', old: !link.disabled, new: false }]
  const goneSince = grace?.goneSince ?? null
  await storeLink(context, {
    ...link,
    inScope: false,
    disabled: true,
    sourceHash: null,
    unresolved: [],
    goneSince,
  })
  log.done(
    'disable',
    'success',
    grace
      ? `Gone from the source: disabled; ${graceNote(grace)}`
      : work.reason === 'deleted'
        ? 'Disabled: gone from the source (policy disable)'
        : 'Disabled: out of scope',
  )
}

/** The account is gone from the target: so is its link. */
async function forget(context: CycleContext, link: Link): Promise<void> {
  context.links.delete(linkKey(link.objectType, link.sourceId))
  await deleteLink(context.db, context.job.id, link.objectType, link.sourceId)
}

/** Says since when, if a grace period ran before the DELETE. */
function deletedMessage(context: CycleContext, link: Link): string {
  const days = context.job.settings.deleteAfterDays
  if (!link.goneSince || !days) return 'Deleted: gone from the source'
  return `Deleted: gone from the source since ${link.goneSince.slice(0, 10)}; the grace period of ${days} day${days === 1 ? '' : 's'} is over`
}
