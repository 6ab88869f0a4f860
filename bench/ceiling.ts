import { setTimeout as sleep } from 'node:timers/promises'
import type { Measurement } from './load.js'
import type { ChildServer } from './processes.js'

/**
 * The machine's ceiling — a Fastify hello-world under the same load generator — drifts on this
 * kind of shared machine by up to a third within a minute (seen here: 30,600 → 22,300 req/s
 * between two runs 40 s apart). A share of a hello-world measured minutes earlier or later mostly
 * measures that drift, so the bench measures the hello-world before the first scenario and again
 * after every one, and judges each scenario against the runs next to it.
 */

/** The faster of the hello-worlds measured just before and just after a scenario. */
export function adjacentCeiling(
  before: Measurement | undefined,
  after: Measurement | undefined,
): Measurement | undefined {
  if (!before) return after
  if (!after) return before
  return after.rps > before.rps ? after : before
}

/** The fastest of all: the strictest yardstick, reported beside the adjacent one. */
export function fastestCeiling(measurements: (Measurement | undefined)[]): Measurement | undefined {
  let fastest: Measurement | undefined
  for (const measurement of measurements) {
    if (measurement && (!fastest || measurement.rps > fastest.rps)) fastest = measurement
  }
  return fastest
}

const QUIET_WINDOW_MS = 250
/** CPU seconds per second below which a server counts as idle. */
const QUIET_CORES = 0.02
const SETTLE_LIMIT_MS = 15_000

/**
 * Waits until `server` is idle: after a write scenario Roster goes on copying its WAL back into the
 * database for a while, and a hello-world measured meanwhile would share the CPUs with it (and
 * make every share look better than it is).
 */
export async function settle(server: ChildServer): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS
  let last = server.cpuSeconds()
  while (last !== undefined && Date.now() < deadline && server.alive()) {
    await sleep(QUIET_WINDOW_MS)
    const now = server.cpuSeconds()
    if (now === undefined) return
    if ((now - last) / (QUIET_WINDOW_MS / 1000) < QUIET_CORES) return
    last = now
  }
}
