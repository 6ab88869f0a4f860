import type { ProvisioningJob } from '../jobs/job-config.js'
import { type CompiledMappings, compileMappings } from '../mapping/compile-mappings.js'
import { type CompiledScoping, compileScoping } from '../scoping/compile-scoping.js'
import { AdaptiveRateLimiter } from '../target/rate-limiter.js'
import { ScimTargetClient } from '../target/scim-target-client.js'
import { EngineObjectError } from './describe-failure.js'

export interface CompiledJob {
  users: CompiledMappings
  groups: CompiledMappings
  scoping: CompiledScoping
}

/** The job's mappings and scoping filters, compiled; ERR_PROVISIONING_JOB_CONFIG when any is invalid. */
export function compileJob(job: ProvisioningJob): CompiledJob {
  const users = compileMappings(job.mappings.users)
  const groups = compileMappings(job.mappings.groups)
  const scoping = compileScoping(job.scope.scopingFilters ?? [])
  if (!users.ok || !groups.ok || !scoping.ok)
    throw new EngineObjectError(
      'ERR_PROVISIONING_JOB_CONFIG',
      'The job’s mappings or scoping filters are invalid; fix them and restart the job',
    )
  return { users: users.value, groups: groups.value, scoping: scoping.value }
}

/** The job's SCIM target, paced by its rate limit, with at most `concurrency` requests at once. */
export function targetClientOf(
  job: ProvisioningJob,
  concurrency: number,
  timeoutMs: number | undefined,
): ScimTargetClient {
  return new ScimTargetClient({
    tenantUrl: job.targetUrl,
    secretToken: job.targetToken,
    maxSockets: concurrency,
    timeoutMs,
    scheduler: new AdaptiveRateLimiter({
      ratePerSecond: job.settings.rateLimitPerSecond,
      maxConcurrency: concurrency,
    }),
  })
}
