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
}

/** What the policy does with this object; 'none' when nothing is sent. */
export function deprovisionAction(
  policy: 'delete' | 'disable' | 'none',
  work: Pick<DeprovisionWork, 'link' | 'reason'>,
): 'delete' | 'disable' | 'none' {
  if (policy === 'none') return 'none'
  if (work.link.objectType === 'group') return policy === 'delete' ? 'delete' : 'none'
  return work.reason === 'deleted' && policy === 'delete' ? 'delete' : 'disable'
}

/**
 * Out of scope → disable (PATCH active=false); gone from the source → DELETE, as the job's policy
 * says (entra-scim.md §10.6). Groups have no disabled state: they are deleted or left alone.
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
    } else if (action === 'none') {
      const why =
        link.objectType === 'group' && context.job.settings.deprovision === 'disable'
          ? 'groups have no disabled state and the policy never deletes'
          : 'the job’s deprovisioning policy is "none"'
      log.step('action', 'skipped', `Left in the target: ${why}`)
      log.done('skip', 'skipped', `Left in the target: ${why}`)
      await storeLink(context, { ...link, inScope: false, sourceHash: null })
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
      context.links.delete(linkKey(link.objectType, link.sourceId))
      await deleteLink(context.db, context.job.id, link.objectType, link.sourceId)
      log.modified = [{ name: 'account', old: link.targetId, new: null }]
      log.done(
        'delete',
        'success',
        work.reason === 'deleted' ? 'Deleted: gone from the source' : 'Deleted: out of scope',
      )
    } else {
      log.action = 'disable'
      await attempt(context, log, () =>
        context.client.patchUser(link.targetId, [{ op: 'replace', path: 'active', value: false }]),
      )
      log.step('action', 'success', 'PATCH replace active=false')
      log.modified = [{ name: 'active', old: !link.disabled, new: false }]
      await storeLink(context, { ...link, inScope: false, disabled: true, sourceHash: null, unresolved: [] })
      log.done(
        'disable',
        'success',
        work.reason === 'deleted'
          ? 'Disabled: gone from the source (policy disable)'
          : 'Disabled: out of scope',
      )
    }
  } catch (error) {
    log.fail(log.action, error)
  }
  await finish(context, log)
}
