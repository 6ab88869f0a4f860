import { setTimeout as sleep } from 'node:timers/promises'
import type { Measurement } from './load.js'
import type { ChildServer } from './processes.js'

/**
 * The machine's ceiling — a Fastify hello-world under the same load generator — drifts on this
 * kind of shared machine by up to a third within a minute (seen here: 30,600 → 22,300 req/s
 * between two runs 40 s apart, and a scenario's CPU per request swinging with it). A share of a
 * hello-world measured minutes earlier mostly measures that drift. So each scenario's measured
 * time is cut into slices, with a hello-world slice before each and after the last; slice i is
 * judged against the mean of the hello-world slices on either side of it, and the scenario's share
 * is the median over its slices.
 */
export interface SliceShares {
  /** Median over the slices of the slice's req/s over its neighbouring hello-worlds' mean. */
  share: number
  /** The lowest and highest slice share. */
  low: number
  high: number
  /** Median over the slices of the hello-worlds' server CPU per request over the slice's. */
  cpuShare?: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** `hello` holds one slice more than `scenario`: hello[i] and hello[i + 1] bracket scenario[i]. */
export function sliceShares(scenario: Measurement[], hello: Measurement[]): SliceShares | undefined {
  const shares: number[] = []
  const cpuShares: number[] = []
  scenario.forEach((slice, i) => {
    const before = hello[i]
    const after = hello[i + 1]
    if (!before || !after) return
    const ceiling = (before.rps + after.rps) / 2
    if (ceiling > 0) shares.push(slice.rps / ceiling)
    const helloCpu =
      before.serverCpuUsPerRequest !== undefined && after.serverCpuUsPerRequest !== undefined
        ? (before.serverCpuUsPerRequest + after.serverCpuUsPerRequest) / 2
        : undefined
    if (helloCpu !== undefined && slice.serverCpuUsPerRequest) {
      cpuShares.push(helloCpu / slice.serverCpuUsPerRequest)
    }
  })
  if (shares.length === 0) return undefined
  return {
    share: median(shares),
    low: Math.min(...shares),
    high: Math.max(...shares),
    ...(cpuShares.length === shares.length ? { cpuShare: median(cpuShares) } : {}),
  }
}

const QUIET_WINDOW_MS = 250
/** CPU seconds per second below which a server counts as idle. */
const QUIET_CORES = 0.02
const SETTLE_LIMIT_MS = 15_000

/**
 * Waits until `server` is idle: after a write slice Roster goes on copying its WAL back into the
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
