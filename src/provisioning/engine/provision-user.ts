import type { MappedAttributes } from '../mapping/attribute-mapping.js'
import { createBody } from '../mapping/create-body.js'
import { diffForPatch } from '../mapping/diff-for-patch.js'
import { evaluateMappings } from '../mapping/evaluate-mappings.js'
import { matchingQueries } from '../mapping/matching.js'
import { resolveReferences } from '../mapping/resolve-references.js'
import type { SourceUser } from '../source/connector.js'
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
import { createdProperties, patchedProperties } from './modified-properties.js'
import { ObjectLog } from './object-log.js'
import { recordReferences } from './reference-step.js'
import { isDisabledInSource, userDisplayName, userRecord } from './source-records.js'

/** An in-scope user this cycle works on. */
export interface UserWork {
  user: SourceUser
  hash: string
  /** For the scoping step: why the user is in scope. */
  scopeNote: string
  /** Its disable is held back by the accidental-deletion guard. */
  staged?: string
}

/**
 * One in-scope user: update its linked account with a minimal PATCH, or match an existing account,
 * or create one (never twice: a create whose answer is lost is re-matched). The link is saved the
 * moment the account is known, so a crash right after never leads to a duplicate.
 */
export async function provisionUser(context: CycleContext, work: UserWork): Promise<void> {
  const { user } = work
  const log = new ObjectLog('user', user.id, userDisplayName(user))
  log.step('import', 'success', `Read from ${context.sourceDescription}`)
  log.step('scoping', 'success', work.scopeNote)
  const disabled = isDisabledInSource(user)
  try {
    if (work.staged) {
      log.targetId = linkOf(context, 'user', user.id)?.targetId ?? null
      log.step('action', 'skipped', work.staged)
      log.done('other', 'skipped', work.staged)
    } else {
      const link = linkOf(context, 'user', user.id)
      const updated = link ? await updateLinked(context, log, work, link, disabled) : false
      if (!updated) await matchOrCreate(context, log, work, disabled)
    }
  } catch (error) {
    log.fail(log.action, error)
    const link = linkOf(context, 'user', user.id)
    // A null hash makes the next cycle try again (Entra's escrow, without the 40-minute wait for 429s).
    // The user is in the source, so its grace period (if any) is over: a later removal starts afresh.
    if (link) await storeLink(context, { ...link, sourceHash: null, goneSince: null })
  }
  await finish(context, log)
}

/** false when the linked account is gone from the target (then it is matched or created again). */
async function updateLinked(
  context: CycleContext,
  log: ObjectLog,
  work: UserWork,
  link: Link,
  disabled: boolean,
): Promise<boolean> {
  log.action = 'update'
  let current: ScimResource
  try {
    current = await attempt(context, log, () => context.client.getUser(link.targetId))
  } catch (error) {
    if (!isScimTargetError(error) || error.category !== 'notFound') throw error
    log.step(
      'matching',
      'warning',
      `The linked account ${link.targetId} is gone from the target; matching again`,
    )
    context.links.delete(linkKey('user', link.sourceId))
    await deleteLink(context.db, context.job.id, 'user', link.sourceId)
    return false
  }
  log.targetId = link.targetId
  log.step('matching', 'success', `Linked to target account ${link.targetId}`)
  const mapped = evaluateMappings(context.users, userRecord(work.user), {
    isSoftDeleted: disabled,
    creating: false,
  })
  await patchToDesired(context, log, work, link, mapped, current, disabled)
  return true
}

async function patchToDesired(
  context: CycleContext,
  log: ObjectLog,
  work: UserWork,
  link: Link,
  mapped: MappedAttributes,
  current: ScimResource,
  disabled: boolean,
): Promise<void> {
  const { attributes, unresolved } = resolveReferences(mapped, (id) => targetIdOf(context, id))
  const operations = diffForPatch(attributes, current)
  if (operations.length > 0) {
    const disabling = operations.some((operation) => operation.path === 'active' && operation.value === false)
    log.action = log.action === 'create' ? 'create' : disabling ? 'disable' : 'update'
    await attempt(context, log, () => context.client.patchUser(link.targetId, operations))
    log.modified.push(...patchedProperties(operations, current))
    log.step(
      'action',
      'success',
      `PATCH ${operations.map((operation) => `${operation.op} ${operation.path}`).join(', ')}`,
    )
    if (log.action !== 'create')
      log.done(
        log.action,
        'success',
        disabling ? 'Disabled (active=false)' : `Updated ${operations.length} attribute(s)`,
      )
  } else if (log.action !== 'create') {
    log.step('action', 'skipped', 'No mapped attribute differs from the target')
    log.done('other', 'success', 'Already in sync')
  }
  recordReferences(log, unresolved, 0)
  // Back in the source (or never gone): no delete is pending any more.
  await storeLink(context, {
    ...link,
    sourceHash: work.hash,
    inScope: true,
    disabled,
    unresolved,
    goneSince: null,
  })
}

async function matchOrCreate(
  context: CycleContext,
  log: ObjectLog,
  work: UserWork,
  disabled: boolean,
): Promise<void> {
  const { user } = work
  if (disabled) {
    log.step('matching', 'skipped', 'Not looked up')
    log.done(
      'skip',
      'skipped',
      'Not created: the user is disabled or soft-deleted in the source; only active users are provisioned',
    )
    return
  }
  const mapped = evaluateMappings(context.users, userRecord(user), { isSoftDeleted: false, creating: true })
  const queries = matchingQueries(context.users.mappings, mapped)
  if (queries.length === 0) {
    log.action = 'skip'
    throw new EngineObjectError(
      'ERR_NO_MATCHING_VALUE',
      'None of the matching attributes has a value for this user, so it cannot be matched or created; give it a value in the source',
    )
  }
  for (const query of queries) {
    const found = await attempt(context, log, () => context.client.findUsers(query.filter, { count: 2 }))
    if (found.totalResults > 1 || found.Resources.length > 1) {
      throw new EngineObjectError(
        'ERR_AMBIGUOUS_MATCH',
        `${found.totalResults} accounts in the target match ${query.filter}; a matching attribute must be unique. Remove the duplicates in the target, then sync again`,
      )
    }
    const account = found.Resources[0]
    if (account) {
      log.step('matching', 'success', `Matched existing account ${account.id} by ${query.filter}`)
      log.targetId = account.id
      const link = await linkNewAccount(context, 'user', user.id, account.id, { disabled, unresolved: [] })
      log.action = 'update'
      const full = evaluateMappings(context.users, userRecord(user), {
        isSoftDeleted: disabled,
        creating: false,
      })
      await patchToDesired(context, log, work, link, full, account, disabled)
      return
    }
  }
  log.step('matching', 'success', `No account matches ${queries.map((query) => query.filter).join(' or ')}`)
  log.action = 'create'
  const { attributes, unresolved } = resolveReferences(mapped, (id) => targetIdOf(context, id))
  const body = createBody(attributes, 'User') as NewScimResource
  const first = queries[0]!
  const outcome = await createWithRematch(
    {
      create: () => context.client.createUser(body),
      rematch: async () => (await context.client.findUsers(first.filter, { count: 2 })).Resources[0],
    },
    { ...context.retry, onRetry: log.onRetry },
  )
  log.targetId = outcome.id
  // Saved before anything else: from here on a crash cannot lead to a second account.
  const link = await linkNewAccount(context, 'user', user.id, outcome.id, { disabled, unresolved })
  log.modified = createdProperties(attributes)
  if (outcome.kind === 'rematched') {
    log.step(
      'action',
      'warning',
      `The answer to POST /Users was lost; found the account it created (${outcome.id}) by ${first.filter} instead of creating a duplicate`,
    )
    await patchToDesired(context, log, work, link, mapped, outcome.resource, disabled)
  } else {
    log.step('action', 'success', `POST /Users created ${outcome.id}`)
    recordReferences(log, unresolved, 0)
    await storeLink(context, { ...link, sourceHash: work.hash })
  }
  log.done('create', log.status === 'warning' ? 'warning' : 'success', `Created account ${outcome.id}`)
  if (unresolved.length > 0) log.status = 'warning'
}
