import type { Db } from '../../store/database.js'
import type { ProvisioningJob } from '../jobs/job-config.js'
import { HeldLease, readLease } from '../jobs/job-lease.js'
import { getJob, setNeedsInitial } from '../jobs/jobs-repository.js'
import { type FailureMailer, failureMailer } from '../notify/failure-mailer.js'
import type { SourceConnector } from '../source/connector.js'
import { DirectoryFileConnector } from '../source/directory-file.js'
import {
  type Cycle,
  type CycleKind,
  failInterruptedCycles,
  saveCycle,
  startCycle,
} from '../state/cycles-repository.js'
import { loadLinks } from '../state/links-repository.js'
import type { RetryPolicy } from '../target/retry.js'
import type { ScimTargetClient } from '../target/scim-target-client.js'
import { compileJob, targetClientOf } from './compile-job.js'
import { finish, newCycleContext } from './cycle-context.js'
import { type CycleProgress, ProgressTracker } from './cycle-progress.js'
import { deprovision } from './deprovision.js'
import { EngineObjectError } from './describe-failure.js'
import { FailureBreaker } from './failure-breaker.js'
import { ObjectLog } from './object-log.js'
import { groupsToWork, planCycle } from './plan-cycle.js'
import { ensureGroup, syncGroup } from './provision-group.js'
import { provisionUser } from './provision-user.js'
import { runConcurrently } from './run-concurrently.js'

export interface RunCycleOptions {
  /** 'manual' is "sync now": an on-demand cycle (unless an initial one is due). */
  trigger?: 'schedule' | 'manual'
  /** Carry out disables and deletes beyond the deletion threshold (the admin's "Allow deletes"). */
  allowDeletes?: boolean
  /** Overrides the job's source (tests, or a connector configured elsewhere). */
  connector?: SourceConnector
  retry?: RetryPolicy
  /** Deadline of one request to the target. Default 60 s. */
  timeoutMs?: number
  /** Called about once a second, and at the end. */
  onProgress?: (progress: CycleProgress) => void
  /** Tells the job's notification address about a quarantine or a failed cycle. Default: SMTP_URL's mailer. */
  notify?: Pick<FailureMailer, 'alert' | 'cleared'>
  /** The clock of the delete grace period (`deleteAfterDays`); tests move it on. Default: the real one. */
  now?: () => Date
}

export interface CycleResult {
  cycle: Cycle
  progress: CycleProgress
}

const running = new Set<string>()

/**
 * One provisioning cycle of a job (entra-scim.md §10.2): read the source, decide scope and what
 * changed, provision users (managers first), then groups, then memberships, then deprovision; one
 * log entry per object. Per-object failures are logged and retried next cycle; the cycle fails only
 * when the source cannot be read or the job is misconfigured.
 */
export async function runCycle(db: Db, jobId: string, options: RunCycleOptions = {}): Promise<CycleResult> {
  if (running.has(jobId))
    throw new EngineObjectError('ERR_CYCLE_RUNNING', `A cycle of job ${jobId} is already running`)
  const job = await getJob(db, jobId)
  if (!job) throw new EngineObjectError('ERR_JOB_NOT_FOUND', `No provisioning job ${jobId}`)
  running.add(jobId)
  // In-process first (cheap), then the database: other Roster instances may share this job.
  const lease = new HeldLease(db, jobId)
  try {
    if (!(await lease.acquire())) {
      const holder = await readLease(db, jobId)
      throw new EngineObjectError(
        'ERR_CYCLE_RUNNING',
        `A cycle of job ${jobId} is running in another Roster process (${holder?.owner ?? 'unknown'}); ` +
          'this cycle can start once it has finished, or its lease has expired if that process stopped',
      )
    }
    await failInterruptedCycles(db, jobId)
    const kind: CycleKind = job.needsInitial
      ? 'initial'
      : options.trigger === 'manual'
        ? 'on-demand'
        : 'incremental'
    const cycle = await startCycle(db, jobId, kind)
    const progress = new ProgressTracker(cycle)
    const client = targetClientOf(job, job.settings.concurrency, options.timeoutMs)
    let saving: Promise<void> = Promise.resolve()
    const ticker = setInterval(() => {
      options.onProgress?.(progress.snapshot())
      // Chained, so a progress save can never land after (and undo) the final one.
      saving = saving
        .then(() => saveCycle(db, cycle))
        .catch(() => undefined)
        .then(() => lease.renewIfDue())
    }, 1000)
    ticker.unref()
    try {
      await runPhases(db, job, client, progress, options, lease)
      // A quarantined initial cycle did not reach everything: the next one is a full pass again.
      if (kind === 'initial' && cycle.status === 'succeeded')
        await setNeedsInitial(db, jobId, false, job.updatedAt)
    } catch (error) {
      cycle.status = 'failed'
      cycle.message = error instanceof Error ? error.message : String(error)
    } finally {
      clearInterval(ticker)
      await saving
      client.close()
      progress.phase = 'done'
      cycle.finishedAt = new Date().toISOString()
      await saveCycle(db, cycle)
      // After the final save, so the next holder never sees this cycle as still running.
      await lease.release()
    }
    const mailer = options.notify ?? failureMailer()
    if (cycle.status === 'quarantined' || cycle.status === 'failed')
      await mailer.alert({ job, status: cycle.status, reason: cycle.message ?? 'unknown', cycleId: cycle.id })
    else if (cycle.status === 'succeeded') mailer.cleared(job.id)
    const snapshot = progress.snapshot()
    options.onProgress?.(snapshot)
    return { cycle, progress: snapshot }
  } finally {
    await lease.release()
    running.delete(jobId)
  }
}

async function runPhases(
  db: Db,
  job: ProvisioningJob,
  client: ScimTargetClient,
  progress: ProgressTracker,
  options: RunCycleOptions,
  lease: HeldLease,
): Promise<void> {
  const cycle = progress.cycle
  // Another process took the job over (this one stalled past the lease's expiry): stop, do not race it.
  const assertHeld = () => {
    if (lease.lost)
      throw new EngineObjectError(
        'ERR_LEASE_LOST',
        `The lease of job ${job.id} was lost: another Roster process took the job over, so this cycle stopped. ` +
          'The next cycle resumes the objects it had not finished.',
      )
  }
  const breaker = new FailureBreaker()
  const each = <T>(items: readonly T[], work: (item: T) => Promise<void>) =>
    runConcurrently(items, job.settings.concurrency, async (item) => {
      assertHeld()
      if (!breaker.tripped) await work(item)
    })
  const compiled = compileJob(job)
  const connector = options.connector ?? new DirectoryFileConnector(job.source.path)
  const snapshot = await connector.readSnapshot()
  const links = await loadLinks(db, job.id)
  const now = options.now?.() ?? new Date()
  const plan = planCycle(
    snapshot,
    job,
    compiled.scoping,
    links,
    cycle.kind,
    options.allowDeletes ?? false,
    now,
  )
  cycle.inScope = plan.inScope
  const userCount = plan.userWaves.reduce((sum, wave) => sum + wave.length, 0)
  const initial = cycle.kind === 'initial'
  progress.total =
    plan.outOfScope.length + userCount + plan.deprovisions.length + (initial ? plan.groups.length : 0)
  const context = newCycleContext({
    db,
    job,
    client,
    links,
    compiled,
    retry: options.retry ?? {},
    progress,
    provisionable: plan.provisionable,
    sourceDescription: connector.description,
    breaker,
  })
  for (const skipped of plan.outOfScope) {
    assertHeld()
    const log = new ObjectLog('user', skipped.id, skipped.displayName)
    log.step('import', 'success', `Read from ${connector.description}`)
    log.step('scoping', 'skipped', skipped.note)
    log.done('skip', 'skipped', skipped.note)
    await finish(context, log)
  }
  progress.phase = 'users'
  for (const wave of plan.userWaves) await each(wave, (work) => provisionUser(context, work))
  progress.phase = 'groups'
  const groupWork = groupsToWork(plan, initial, context.newlyLinked)
  if (!initial) progress.total += groupWork.length
  await each(groupWork, (work) => ensureGroup(context, work))
  await each(groupWork, (work) => syncGroup(context, work))
  progress.phase = 'deprovisioning'
  await each(plan.deprovisions, (work) => deprovision(context, work))
  progress.phase = 'finishing'
  assertHeld()
  if (breaker.tripped || plan.quarantine) {
    cycle.status = 'quarantined'
    cycle.message = breaker.tripped ?? plan.quarantine ?? null
  } else {
    cycle.status = 'succeeded'
    if (cycle.counts.failure > 0)
      cycle.message = `${cycle.counts.failure} object(s) failed; their log entries (status failure) say why. They are retried next cycle.`
  }
}
