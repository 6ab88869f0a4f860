import { isReference, type MappedAttributes } from '../mapping/attribute-mapping.js'
import { createBody } from '../mapping/create-body.js'
import { diffForPatch } from '../mapping/diff-for-patch.js'
import { evaluateMappings } from '../mapping/evaluate-mappings.js'
import { matchingQueries } from '../mapping/matching.js'
import { resolveReferences } from '../mapping/resolve-references.js'
import { targetPathOf } from '../mapping/target-paths.js'
import type { SourceGroup } from '../source/connector.js'
import { deleteLink, type Link, linkKey } from '../state/links-repository.js'
import { createWithRematch } from '../target/retry.js'
import type { NewScimResource, ScimResource } from '../target/scim-resources.js'
import { isScimTargetError } from '../target/scim-target-error.js'
import {
  attempt,
  type CycleContext,
  finish,
  linkNewAccount,
  linkOf,
  storeLink,
  targetIdOf,
} from './cycle-context.js'
import { EngineObjectError } from './describe-failure.js'
import { MEMBERS_PER_PATCH, membershipBatches } from './membership-batches.js'
import { createdProperties, patchedProperties } from './modified-properties.js'
import { ObjectLog } from './object-log.js'
import { countReferences, recordReferences } from './reference-step.js'
import { rfcMemberRemovals } from './rfc-member-removals.js'
import { groupRecord } from './source-records.js'

/** An in-scope group this cycle works on; the two phases share it. */
export interface GroupWork {
  group: SourceGroup
  hash: string
  scopeNote: string
  log?: ObjectLog
  /** The resource as our POST left it, which saves a GET in phase two. */
  created?: ScimResource
  failed?: boolean
}

const WITHOUT_MEMBERS = { excludedAttributes: ['members'] }

/**
 * Phase one, for every group before any membership: the group exists in the target and is linked
 * (matched by its matching attribute, or created without members). Members may be groups, so all
 * groups need a target id before phase two can resolve them.
 */
export async function ensureGroup(context: CycleContext, work: GroupWork): Promise<void> {
  const { group } = work
  const log = new ObjectLog('group', group.id, group.displayName)
  work.log = log
  log.step('import', 'success', `Read from ${context.sourceDescription}`)
  log.step('scoping', 'success', work.scopeNote)
  try {
    const link = linkOf(context, 'group', group.id)
    if (link) {
      log.targetId = link.targetId
      log.step('matching', 'success', `Linked to target group ${link.targetId}`)
      return
    }
    const mapped = withoutMembers(
      evaluateMappings(context.groups, groupRecord(group), { isSoftDeleted: false, creating: true }),
    )
    const queries = matchingQueries(context.groups.mappings, mapped)
    if (queries.length === 0)
      throw new EngineObjectError(
        'ERR_NO_MATCHING_VALUE',
        'None of the matching attributes has a value for this group',
      )
    for (const query of queries) {
      const found = await attempt(context, log, () =>
        context.client.findGroups(query.filter, WITHOUT_MEMBERS),
      )
      if (found.Resources.length > 1)
        throw new EngineObjectError(
          'ERR_AMBIGUOUS_MATCH',
          `${found.totalResults} groups in the target match ${query.filter}; remove the duplicates in the target`,
        )
      const existing = found.Resources[0]
      if (existing) {
        log.step('matching', 'success', `Matched existing group ${existing.id} by ${query.filter}`)
        await linkGroup(context, log, group, existing.id)
        log.action = 'update'
        return
      }
    }
    log.step('matching', 'success', `No group matches ${queries.map((query) => query.filter).join(' or ')}`)
    log.action = 'create'
    const { attributes } = resolveReferences(mapped, (id) => targetIdOf(context, id))
    const first = queries[0]!
    const outcome = await createWithRematch(
      {
        create: () => context.client.createGroup(createBody(attributes, 'Group') as NewScimResource),
        rematch: async () => (await context.client.findGroups(first.filter, WITHOUT_MEMBERS)).Resources[0],
      },
      { ...context.retry, onRetry: log.onRetry },
    )
    await linkGroup(context, log, group, outcome.id)
    work.created = outcome.resource
    log.modified = createdProperties(attributes)
    log.step(
      'action',
      outcome.kind === 'created' ? 'success' : 'warning',
      outcome.kind === 'created'
        ? `POST /Groups created ${outcome.id}`
        : `The answer to POST /Groups was lost; found the group it created (${outcome.id}) instead of creating a duplicate`,
    )
  } catch (error) {
    work.failed = true
    log.fail(log.action, error)
    await finish(context, log)
  }
}

async function linkGroup(
  context: CycleContext,
  log: ObjectLog,
  group: SourceGroup,
  targetId: string,
): Promise<void> {
  log.targetId = targetId
  // Until its members are done (phase two), the group is unfinished work for the next cycle.
  await linkNewAccount(context, 'group', group.id, targetId)
}

/**
 * Phase two, after every user and group is in the target: attributes and members by a minimal
 * PATCH (members added and removed by id). Members that should be in the target but are not yet
 * (a failed create) are kept as unresolved and retried next cycle; members out of scope are left out.
 */
export async function syncGroup(context: CycleContext, work: GroupWork): Promise<void> {
  const log = work.log
  if (!log || work.failed) return
  const link = linkOf(context, 'group', work.group.id)
  try {
    if (!link) throw new EngineObjectError('ERR_ENGINE', 'The group was not linked in phase one')
    const mapped = wantedMembers(
      context,
      evaluateMappings(context.groups, groupRecord(work.group), { isSoftDeleted: false, creating: false }),
    )
    const { attributes, unresolved } = resolveReferences(mapped, (id) => targetIdOf(context, id))
    const current = work.created ?? (await currentGroup(context, log, link))
    if (!current) return
    const operations = diffForPatch(attributes, current)
    if (operations.length > 0) {
      const requests = membershipBatches(rfcMemberRemovals(operations))
      for (const request of requests)
        await attempt(context, log, () => context.client.patchGroup(link.targetId, request))
      log.modified.push(...patchedProperties(operations, current))
      log.step(
        'action',
        'success',
        `PATCH ${operations.map((operation) => `${operation.op} ${operation.path}`).join(', ')}` +
          (requests.length > 1
            ? ` in ${requests.length} requests of at most ${MEMBERS_PER_PATCH} members`
            : ''),
      )
    }
    const referenceTargets = Object.keys(attributes).filter((target) => targetPathOf(target).reference)
    recordReferences(log, unresolved, countReferences(attributes, referenceTargets))
    const status = log.status === 'warning' || unresolved.length > 0 ? 'warning' : 'success'
    if (log.action === 'create') log.done('create', status, `Created group ${link.targetId}`)
    else if (operations.length > 0)
      log.done('update', status, `Updated the group (${operations.length} operation(s))`)
    else log.done('other', status, 'Already in sync')
    await storeLink(context, { ...link, sourceHash: work.hash, inScope: true, unresolved })
  } catch (error) {
    log.fail(log.action === 'other' ? 'update' : log.action, error)
    if (link) await storeLink(context, { ...link, sourceHash: null })
  }
  await finish(context, log)
}

async function currentGroup(
  context: CycleContext,
  log: ObjectLog,
  link: Link,
): Promise<ScimResource | undefined> {
  try {
    return await attempt(context, log, () => context.client.getGroup(link.targetId))
  } catch (error) {
    if (!isScimTargetError(error) || error.category !== 'notFound') throw error
    context.links.delete(linkKey('group', link.sourceId))
    await deleteLink(context.db, context.job.id, 'group', link.sourceId)
    throw new EngineObjectError(
      'ERR_TARGET_NOTFOUND',
      `The linked group ${link.targetId} is gone from the target; the next cycle creates it again`,
    )
  }
}

function withoutMembers(mapped: MappedAttributes): MappedAttributes {
  return Object.fromEntries(Object.entries(mapped).filter(([target]) => !targetPathOf(target).reference))
}

/** Members already in the target, or on their way there; others (out of scope, disabled, never created) are left out. */
function wantedMembers(context: CycleContext, mapped: MappedAttributes): MappedAttributes {
  const out: MappedAttributes = {}
  // A group whose last member left maps no members at all; it must still lose them in the target.
  for (const mapping of context.groups.mappings)
    if (
      mapping.path.reference &&
      mapping.path.attribute.toLowerCase() === 'members' &&
      !(mapping.target in mapped)
    )
      out[mapping.target] = []
  for (const [target, value] of Object.entries(mapped)) {
    out[target] = Array.isArray(value)
      ? ((value as unknown[]).filter(
          (item) =>
            !isReference(item) ||
            targetIdOf(context, item.reference) !== undefined ||
            context.provisionable.has(item.reference),
        ) as typeof value)
      : value
  }
  return out
}
