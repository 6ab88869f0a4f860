import type { Db } from '../../store/database.js'
import { getJob } from '../jobs/jobs-repository.js'
import type { SourceConnector } from '../source/connector.js'
import { DirectoryFileConnector } from '../source/directory-file.js'
import { type Cycle, saveCycle, startCycle } from '../state/cycles-repository.js'
import { loadLinks } from '../state/links-repository.js'
import { type LogEntry, queryLogEntries } from '../state/log-repository.js'
import { compileJob, targetClientOf } from './compile-job.js'
import { finish, newCycleContext } from './cycle-context.js'
import { ProgressTracker } from './cycle-progress.js'
import { EngineObjectError } from './describe-failure.js'
import { ObjectLog } from './object-log.js'
import { planCycle } from './plan-cycle.js'
import { provisionUser } from './provision-user.js'
import { refuseWhileCycleRuns } from './refuse-while-cycle-runs.js'
import { userDisplayName } from './source-records.js'

export interface OnDemandResult {
  cycle: Cycle
  /** The user's one log entry: its steps (import, scoping, matching, action, references) and action. */
  entry: LogEntry
}

/**
 * Entra's "provision on demand": one source user through the same steps as a cycle (scoping,
 * matching, create or minimal PATCH, reference resolution), right now, recorded as a cycle of its
 * own (kind on-demand) with one log entry. Nothing else is touched: no groups, no deprovisioning.
 */
export async function provisionOnDemand(
  db: Db,
  jobId: string,
  sourceId: string,
  options: { connector?: SourceConnector; timeoutMs?: number } = {},
): Promise<OnDemandResult> {
  const job = await getJob(db, jobId)
  if (!job) throw new EngineObjectError('ERR_JOB_NOT_FOUND', `No provisioning job ${jobId}`)
  await refuseWhileCycleRuns(db, jobId, 'provision on demand once it has finished')
  const compiled = compileJob(job)
  const connector = options.connector ?? new DirectoryFileConnector(job.source.path)
  const snapshot = await connector.readSnapshot()
  const user = snapshot.users.find((candidate) => candidate.id === sourceId)
  if (!user)
    throw new EngineObjectError(
      'ERR_SOURCE_OBJECT_NOT_FOUND',
      `No user with id ${sourceId} in ${connector.description}`,
    )
  const links = await loadLinks(db, job.id)
  // As an initial cycle would see it: the user is worked on whatever its hash, if it is in scope.
  const plan = planCycle(snapshot, job, compiled.scoping, links, 'initial', false)
  const work = plan.userWaves.flat().find((candidate) => candidate.user.id === sourceId)
  const cycle = await startCycle(db, job.id, 'on-demand')
  const progress = new ProgressTracker(cycle)
  cycle.inScope = plan.inScope
  progress.total = 1
  const client = targetClientOf(job, 1, options.timeoutMs)
  const context = newCycleContext({
    db,
    job,
    client,
    links,
    compiled,
    retry: {},
    progress,
    provisionable: plan.provisionable,
    sourceDescription: connector.description,
  })
  try {
    progress.phase = 'users'
    if (work) await provisionUser(context, work)
    else {
      const out = plan.outOfScope.find((candidate) => candidate.id === sourceId)
      const note = out?.note ?? 'Out of scope, or disabled in the source and never provisioned'
      const log = new ObjectLog('user', user.id, userDisplayName(user))
      log.step('import', 'success', `Read from ${connector.description}`)
      log.step('scoping', 'skipped', note)
      log.done('skip', 'skipped', note)
      await finish(context, log)
    }
    cycle.status = cycle.counts.failure > 0 ? 'failed' : 'succeeded'
    if (cycle.counts.failure > 0) cycle.message = 'The user could not be provisioned; its log entry says why'
  } catch (error) {
    cycle.status = 'failed'
    cycle.message = error instanceof Error ? error.message : String(error)
  } finally {
    client.close()
    progress.phase = 'done'
    cycle.finishedAt = new Date().toISOString()
    await saveCycle(db, cycle)
  }
  const [entry] = await queryLogEntries(db, job.id, { cycleId: cycle.id, sourceId, limit: 1 })
  if (!entry) throw new EngineObjectError('ERR_ON_DEMAND', cycle.message ?? 'provisioning on demand failed')
  return { cycle, entry }
}
