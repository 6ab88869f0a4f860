import type { JobScope, ProvisioningJob } from '../jobs/job-config.js'
import type { CompiledScoping } from '../scoping/compile-scoping.js'
import { evaluateScoping } from '../scoping/evaluate-scoping.js'
import type { AssignmentScope } from '../source/assignment.js'
import { scopeByAssignment } from '../source/assignment.js'
import type { SourceGroup, SourceSnapshot } from '../source/connector.js'
import { hashGroup, hashUser } from '../source/snapshot-diff.js'
import type { CycleKind } from '../state/cycles-repository.js'
import { type Link, linkKey } from '../state/links-repository.js'
import { type DeprovisionWork, deprovisionAction, gracePeriodOf } from './deprovision.js'
import type { GroupWork } from './provision-group.js'
import type { UserWork } from './provision-user.js'
import { isDisabledInSource, userDisplayName, userRecord } from './source-records.js'

/** What one cycle will do, decided before the first request. */
export interface CyclePlan {
  /** Users to provision, in waves: a manager's wave comes before its reports'. */
  userWaves: UserWork[][]
  /** In-scope groups with their hash; which of them are worked on is decided after the users. */
  groups: Array<{ group: SourceGroup; hash: string; link: Link | undefined; scopeNote: string }>
  deprovisions: DeprovisionWork[]
  /** Out of scope, never provisioned: logged as skipped in initial cycles only. */
  outOfScope: Array<{ id: string; displayName: string | null; note: string }>
  inScope: number
  provisionable: Set<string>
  /** Set when the accidental-deletion guard held disables and deletes back. */
  quarantine?: string
}

export function assignmentOf(scope: JobScope): AssignmentScope {
  return scope.mode === 'all'
    ? { mode: 'all' }
    : {
        mode: 'assigned',
        groupIds: scope.groupIds ?? [],
        userIds: scope.userIds ?? [],
        nested: scope.nested ?? true,
      }
}

/**
 * Scope (assignment, then scoping filters), the objects that changed since their last successful
 * provisioning (hash, scope, unresolved references; everything in an initial cycle), deprovisioning,
 * and the accidental-deletion guard.
 */
export function planCycle(
  snapshot: SourceSnapshot,
  job: ProvisioningJob,
  scoping: CompiledScoping,
  links: ReadonlyMap<string, Link>,
  kind: CycleKind,
  allowDeletes: boolean,
  now: Date = new Date(),
): CyclePlan {
  const initial = kind === 'initial'
  const assignment = scopeByAssignment(snapshot, assignmentOf(job.scope))
  const groupNames = new Map(snapshot.groups.map((group) => [group.id, group.displayName]))
  const users: UserWork[] = []
  const deprovisions: DeprovisionWork[] = []
  const outOfScope: CyclePlan['outOfScope'] = []
  const provisionable = new Set<string>()
  let inScope = 0
  let wouldDisable = 0
  for (const user of snapshot.users) {
    const link = links.get(linkKey('user', user.id))
    const assigned = assignment.users.has(user.id)
    const scoped = assigned ? evaluateScoping(scoping, userRecord(user)) : undefined
    if (assigned && scoped?.inScope) {
      inScope += 1
      if (!isDisabledInSource(user) || link) provisionable.add(user.id)
      const hash = hashUser(user)
      // Disabled users are never created; one skip entry per initial cycle says so, not one per cycle.
      if (!link && isDisabledInSource(user) && !initial) continue
      if (initial || !link || link.sourceHash !== hash || !link.inScope || link.unresolved.length > 0) {
        const via = assignment.via.get(user.id)
        const scopeNote =
          (job.scope.mode === 'all'
            ? 'In scope: all users'
            : via
              ? `In scope: member of assigned group ${groupNames.get(via) ?? via}`
              : 'In scope: assigned directly') +
          (scoped.matchedFilter ? `; passes scoping filter ${scoped.matchedFilter}` : '')
        users.push({ user, hash, scopeNote })
        if (isDisabledInSource(user) && link && !link.disabled) wouldDisable += 1
      }
      continue
    }
    const note = !assigned
      ? 'Out of scope: not assigned to the job (not a member of an assigned group)'
      : `Out of scope: fails the scoping filters (${scoped!.failures.map((failure) => `${failure.filter}: ${failure.attribute} ${failure.operator} — ${failure.reason}`).join('; ')})`
    // A lingering goneSince (back in the source, but out of scope) is cleared by disabling again.
    if (link?.inScope || link?.goneSince)
      deprovisions.push({ link, reason: 'outOfScope', note, displayName: userDisplayName(user) })
    else if (!link && initial) outOfScope.push({ id: user.id, displayName: userDisplayName(user), note })
  }
  const groups: CyclePlan['groups'] = []
  for (const group of snapshot.groups) {
    const link = links.get(linkKey('group', group.id))
    if (assignment.groups.has(group.id)) {
      inScope += 1
      provisionable.add(group.id)
      const scopeNote =
        job.scope.mode === 'all'
          ? 'In scope: all groups'
          : 'In scope: assigned (or nested in an assigned group)'
      groups.push({ group, hash: hashGroup(group), link, scopeNote })
    } else if (link?.inScope) {
      deprovisions.push({
        link,
        reason: 'outOfScope',
        note: 'Out of scope: the group is no longer assigned',
        displayName: group.displayName,
      })
    }
  }
  const present = new Set([
    ...snapshot.users.map((user) => `user:${user.id}`),
    ...snapshot.groups.map((group) => `group:${group.id}`),
  ])
  for (const [key, link] of links) {
    if (present.has(key)) continue
    if (!link.inScope && job.settings.deprovision !== 'delete') continue
    const grace = gracePeriodOf(link, job.settings, now)
    // Disabled and waiting out its grace period: nothing to send and nothing to log, every cycle.
    if (grace && link.goneSince && link.disabled) continue
    deprovisions.push({
      link,
      reason: 'deleted',
      note: 'Gone from the source (hard-deleted)',
      displayName: null,
      ...(grace ? { grace } : {}),
    })
  }
  const policy = job.settings.deprovision
  wouldDisable += deprovisions.filter((work) => deprovisionAction(policy, work) !== 'none').length
  const plan: CyclePlan = {
    userWaves: wavesByManager(users),
    groups,
    deprovisions,
    outOfScope,
    inScope,
    provisionable,
  }
  const threshold = job.settings.deletionThreshold
  if (wouldDisable > threshold && !allowDeletes) {
    const message =
      `Staged, not carried out: this cycle would disable or delete ${wouldDisable} accounts, more than the job's deletion threshold (${threshold}); ` +
      'the job is quarantined. If the source is right, raise the threshold or run the cycle again allowing deletes; otherwise fix the source or scope'
    plan.quarantine = message
    for (const work of deprovisions) if (deprovisionAction(policy, work) !== 'none') work.staged = message
    for (const work of users) {
      const link = links.get(linkKey('user', work.user.id))
      if (isDisabledInSource(work.user) && link && !link.disabled) work.staged = message
    }
  }
  return plan
}

/** Which in-scope groups this cycle works on: changed ones, unfinished ones, and those listing a member linked this cycle. */
export function groupsToWork(
  plan: CyclePlan,
  initial: boolean,
  newlyLinked: ReadonlySet<string>,
): GroupWork[] {
  return plan.groups
    .filter(
      ({ group, hash, link }) =>
        initial ||
        !link ||
        link.sourceHash !== hash ||
        !link.inScope ||
        link.unresolved.length > 0 ||
        group.members.some((member) => newlyLinked.has(member)),
    )
    .map(({ group, hash, scopeNote }) => ({ group, hash, scopeNote }))
}

/** Managers first: a user's wave is one after its manager's, when the manager is worked on too. */
function wavesByManager(users: UserWork[]): UserWork[][] {
  const byId = new Map(users.map((work) => [work.user.id, work]))
  const depth = new Map<string, number>()
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    const manager = byId.get(id)?.user.attributes['manager']
    let value = 0
    if (typeof manager === 'string' && byId.has(manager) && !seen.has(manager)) {
      seen.add(id)
      value = depthOf(manager, seen) + 1
    }
    depth.set(id, value)
    return value
  }
  const waves: UserWork[][] = []
  for (const work of users) {
    const level = depthOf(work.user.id, new Set())
    const wave = waves[level] ?? []
    waves[level] = wave
    wave.push(work)
  }
  return waves.filter((wave) => wave !== undefined)
}
