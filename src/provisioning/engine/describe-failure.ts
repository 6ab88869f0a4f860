import { MappingEvaluationError } from '../mapping/evaluate-mappings.js'
import { isScimTargetError } from '../target/scim-target-error.js'

export interface FailureDescription {
  /** Stable code for filters and dashboards. */
  code: string
  /** What happened and what to do, for the person reading the log. */
  message: string
}

/** An error of one object's processing, as a code and an actionable message (never the token). */
export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof EngineObjectError) return { code: error.code, message: error.message }
  if (error instanceof MappingEvaluationError)
    return { code: error.code, message: `${error.message}. Fix the mapping or the source value.` }
  if (isScimTargetError(error)) {
    const advice: Record<string, string> = {
      throttled:
        'The target kept answering 429 after every retry; it is retried next cycle. Lower the job’s rate limit if this repeats.',
      transient:
        'The target failed or did not answer in time after every retry; it is retried next cycle. Check the target’s health.',
      conflict:
        'The target holds another account with the same unique value. Match it (fix the matching attribute) or remove the duplicate in the target.',
      notFound: 'The account is gone from the target; the next cycle matches or creates it again.',
      client: 'The target refused the data. Check the attribute named in the message and its mapping.',
      auth: 'The target refused the secret token. Generate a new token in the target and update the job.',
      protocol: 'The target did not answer in SCIM. Check that the tenant URL points at the SCIM root.',
    }
    return {
      code: `ERR_TARGET_${error.category.toUpperCase()}`,
      message: `${error.message}. ${advice[error.category] ?? ''}`.trim(),
    }
  }
  return {
    code: 'ERR_ENGINE',
    message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  }
}

/** A failure the engine detects itself (no matching value, an ambiguous match, …). */
export class EngineObjectError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'EngineObjectError'
    this.code = code
  }
}
