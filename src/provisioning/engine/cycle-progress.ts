import type { Cycle, CycleCounts, CycleKind } from '../state/cycles-repository.js'
import type { LogAction, LogStatus } from '../state/log-repository.js'

export type CyclePhase = 'reading source' | 'users' | 'groups' | 'deprovisioning' | 'finishing' | 'done'

/** What the CLI's progress bar and the admin API show of a running (or just finished) cycle. */
export interface CycleProgress {
  jobId: string
  cycleId: string
  kind: CycleKind
  phase: CyclePhase
  /** Objects in scope of the job. */
  inScope: number
  /** Objects this cycle works on: all in scope for an initial cycle, the changed ones otherwise. */
  total: number
  processed: number
  counts: CycleCounts
  elapsedMs: number
  /** From the pace so far; undefined until something was processed. */
  estimatedRemainingMs: number | undefined
}

const live = new Map<string, ProgressTracker>()

/** The live progress of a job's cycle in this process, if one is running or just ended. */
export function cycleProgress(jobId: string): CycleProgress | undefined {
  return live.get(jobId)?.snapshot()
}

/** Counts objects as they complete; registered under the job id while the cycle runs. */
export class ProgressTracker {
  readonly #cycle: Cycle
  readonly #started = performance.now()
  #ended: number | undefined
  #phase: CyclePhase = 'reading source'
  total = 0

  get phase(): CyclePhase {
    return this.#phase
  }

  /** 'done' stops the clock: a finished cycle's elapsed time stays what it was. */
  set phase(phase: CyclePhase) {
    this.#phase = phase
    if (phase === 'done') this.#ended ??= performance.now()
  }

  constructor(cycle: Cycle) {
    this.#cycle = cycle
    live.set(cycle.jobId, this)
  }

  get cycle(): Cycle {
    return this.#cycle
  }

  record(action: LogAction, status: LogStatus): void {
    this.#cycle.processed += 1
    if (status === 'failure') this.#cycle.counts.failure += 1
    else this.#cycle.counts[action] += 1
  }

  snapshot(): CycleProgress {
    const elapsedMs = (this.#ended ?? performance.now()) - this.#started
    const { processed } = this.#cycle
    const left = Math.max(0, this.total - processed)
    return {
      jobId: this.#cycle.jobId,
      cycleId: this.#cycle.id,
      kind: this.#cycle.kind,
      phase: this.phase,
      inScope: this.#cycle.inScope,
      total: this.total,
      processed,
      counts: { ...this.#cycle.counts },
      elapsedMs,
      estimatedRemainingMs: processed > 0 ? (elapsedMs / processed) * left : undefined,
    }
  }
}
