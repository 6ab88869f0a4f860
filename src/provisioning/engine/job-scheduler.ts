import type { Db } from '../../store/database.js'
import { listJobs } from '../jobs/jobs-repository.js'
import { listCycles } from '../state/cycles-repository.js'
import { type CycleResult, type RunCycleOptions, runCycle } from './run-cycle.js'

export interface JobSchedulerOptions {
  /** How often due jobs are looked for. Default 15 s. */
  tickMs?: number
  /** Injected for tests. */
  now?: () => number
  cycleOptions?: Omit<RunCycleOptions, 'trigger'>
  /** Told about every cycle that ends, or fails to start. */
  onCycle?: (jobId: string, outcome: CycleResult | { error: unknown }) => void
}

/**
 * Runs every job that is On: its first cycle at once, then one cycle per interval after the last
 * one ended (a slow cycle is never overlapped). `stop()` lets running cycles finish, as Entra does.
 */
export class JobScheduler {
  readonly #db: Db
  readonly #options: JobSchedulerOptions
  readonly #running = new Map<string, Promise<void>>()
  #timer: NodeJS.Timeout | undefined
  #ticking: Promise<void> | undefined

  constructor(db: Db, options: JobSchedulerOptions = {}) {
    this.#db = db
    this.#options = options
  }

  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => void this.tick(), this.#options.tickMs ?? 15_000)
    this.#timer.unref()
    void this.tick()
  }

  /** Starts the cycles that are due; resolves once they have started (not finished). */
  async tick(): Promise<void> {
    if (this.#ticking) return this.#ticking
    this.#ticking = this.#startDue().finally(() => {
      this.#ticking = undefined
    })
    return this.#ticking
  }

  /** Resolves when every cycle started so far has ended. */
  async idle(): Promise<void> {
    await Promise.all(this.#running.values())
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#ticking
    await this.idle()
  }

  async #startDue(): Promise<void> {
    const now = (this.#options.now ?? Date.now)()
    for (const job of await listJobs(this.#db)) {
      if (job.state !== 'on' || this.#running.has(job.id)) continue
      const [last] = await listCycles(this.#db, job.id, 1)
      const ended = last?.finishedAt ? Date.parse(last.finishedAt) : undefined
      if (ended !== undefined && now - ended < job.settings.intervalMinutes * 60_000) continue
      const cycle = runCycle(this.#db, job.id, { ...this.#options.cycleOptions, trigger: 'schedule' })
        .then((result) => this.#options.onCycle?.(job.id, result))
        .catch((error: unknown) => this.#options.onCycle?.(job.id, { error }))
        .finally(() => this.#running.delete(job.id))
      this.#running.set(job.id, cycle)
    }
  }
}
