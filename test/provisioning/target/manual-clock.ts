import type { Clock } from '../../../src/provisioning/target/rate-limiter.js'

/** Lets pending promise chains run (they resume on microtasks and immediates). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A clock the test moves: `sleep` resolves only when `advanceTo` passes its time. */
export class ManualClock implements Clock {
  time = 0
  readonly #timers: { at: number; resolve: () => void }[] = []

  now(): number {
    return this.time
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#timers.push({ at: this.time + ms, resolve }))
  }

  /** Fires every timer due up to `target`, in time order, letting the code react after each. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle()
      const due = this.#timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.#timers.splice(this.#timers.indexOf(due), 1)
      this.time = Math.max(this.time, due.at)
      due.resolve()
    }
    this.time = Math.max(this.time, target)
    await settle()
  }
}
