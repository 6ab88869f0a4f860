import type { ObjectType } from '../state/links-repository.js'
import type {
  LogAction,
  LogEntry,
  LogStatus,
  LogStep,
  ModifiedProperty,
  StepName,
} from '../state/log-repository.js'
import type { RetryEvent } from '../target/retry.js'
import { describeFailure } from './describe-failure.js'

/** Collects what happens to one object during a cycle; `entry()` is its single log entry. */
export class ObjectLog {
  readonly objectType: ObjectType
  readonly sourceId: string
  displayName: string | null
  targetId: string | null = null
  action: LogAction = 'other'
  status: LogStatus = 'success'
  message = ''
  errorCode: string | null = null
  readonly steps: LogStep[] = []
  modified: ModifiedProperty[] = []
  readonly #started = performance.now()
  readonly #retries: string[] = []

  constructor(objectType: ObjectType, sourceId: string, displayName: string | null) {
    this.objectType = objectType
    this.sourceId = sourceId
    this.displayName = displayName
  }

  step(name: StepName, status: LogStep['status'], description: string): void {
    this.steps.push({ name, status, description })
  }

  /** Passed to withRetries: every retried request is told in the action step. */
  readonly onRetry = (event: RetryEvent): void => {
    this.#retries.push(
      `${event.error.request} failed (${event.error.status ?? event.error.transport ?? event.error.category}); retry ${event.attempt} after ${event.delayMs} ms`,
    )
  }

  done(action: LogAction, status: LogStatus, message: string): void {
    this.action = action
    this.status = status
    this.message = message
  }

  fail(action: LogAction, error: unknown): void {
    const { code, message } = describeFailure(error)
    this.action = action
    this.status = 'failure'
    this.errorCode = code
    this.message = message
    this.step('action', 'failure', message)
  }

  entry(jobId: string, cycleId: string): LogEntry {
    if (this.#retries.length > 0) {
      this.step(
        'action',
        this.status === 'failure' ? 'failure' : 'warning',
        `Retried: ${this.#retries.join('; ')}`,
      )
      if (this.status === 'success') this.status = 'warning'
    }
    return {
      jobId,
      cycleId,
      at: new Date().toISOString(),
      objectType: this.objectType,
      sourceId: this.sourceId,
      displayName: this.displayName,
      targetId: this.targetId,
      action: this.action,
      status: this.status,
      steps: this.steps,
      modified: this.modified,
      errorCode: this.errorCode,
      message: this.message,
      durationMs: performance.now() - this.#started,
    }
  }
}
