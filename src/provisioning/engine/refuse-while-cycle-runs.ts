import type { Db } from '../../store/database.js'
import { leaseOwner, liveLease } from '../jobs/job-lease.js'
import { cycleProgress } from './cycle-progress.js'
import { EngineObjectError } from './describe-failure.js'

/**
 * Throws ERR_CYCLE_RUNNING while a cycle of the job runs: in this process (its progress), or in
 * any process holding the job's lease, which also covers the moments before a cycle's progress
 * exists and after it is done. `then` tells the person what to do instead.
 */
export async function refuseWhileCycleRuns(db: Db, jobId: string, then: string): Promise<void> {
  const progress = cycleProgress(jobId)
  const here = progress !== undefined && progress.phase !== 'done'
  const lease = here ? undefined : await liveLease(db, jobId)
  if (!here && !lease) return
  const where = lease && lease.owner !== leaseOwner() ? ` in another Roster process (${lease.owner})` : ''
  throw new EngineObjectError('ERR_CYCLE_RUNNING', `A cycle of job ${jobId} is running${where}; ${then}`)
}
