import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname } from 'node:path'
import { type GroupBenchResult, renderGroupReport } from './group-bench.js'
import type { Measurement } from './load.js'
import type { BenchOptions } from './options.js'

/** PASS/FAIL against a target; INFO when there is none; ERROR when the harness saw wrong answers. */
export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'ERROR' | 'BASELINE'

export interface ScenarioResult {
  key: string
  label: string
  measurement?: Measurement
  /**
   * req/s as a share of the hello-world's: for a Roster scenario the median over its slices, each
   * against the hello-world slices beside it (ceiling.ts).
   */
  shareOfHello?: number
  /** The lowest and highest slice share. */
  shareRange?: [number, number]
  /** The hello-world slices' req/s, before each slice and after the last. */
  helloSlices?: number[]
  /**
   * Hello-world's server CPU per request over this one's: the rate share to expect when the server
   * is the bottleneck, and a cross-check that other load on the machine cannot skew as much.
   */
  cpuShareOfHello?: number
  target?: number
  verdict: Verdict
  /** What went wrong in the harness (unexpected statuses, a failed smoke check). */
  problem?: string
}

export interface BenchReport {
  date: string
  machine: { cpus: number; model: string; node: string; platform: string; memoryGiB: number }
  /** 1-minute load average before the run started: other work on the machine skews the numbers. */
  loadAverageBefore: number
  options: BenchOptions
  setup: {
    store: string
    users: number
    smallTenantUsers: number
    seedSeconds: number
    servers: string
    loadGenerator: string
  }
  helloWorld: ScenarioResult
  scenarios: ScenarioResult[]
  /** The hello-world measured again after Roster: how much the machine drifted during the run. */
  helloWorldAfter?: ScenarioResult
  filterScaling?: { p50Large: number; p50Small: number; ratio: number; max: number; verdict: Verdict }
  /** Issue 3's group scenarios: latency at `largeMembers` members next to 10. */
  groups?: GroupBenchResult & { largeMembers: number }
  /** False when a scenario saw unexpected statuses or errors: the numbers cannot be trusted. */
  harnessOk: boolean
}

export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100
}

export function machineInfo(): BenchReport['machine'] {
  const list = cpus()
  return {
    cpus: list.length,
    model: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  }
}

/** Flags unexpected statuses and connection errors, the only way a run is a harness failure. */
export function problemOf(measurement: Measurement, status: number): string | undefined {
  const unexpected = Object.entries(measurement.statuses).filter(([code]) => Number(code) !== status)
  const parts = unexpected.map(([code, count]) => `${count} × ${code}`)
  if (measurement.errors > 0) parts.push(`${measurement.errors} connection errors/timeouts`)
  if (measurement.requests === 0) parts.push('no responses')
  return parts.length === 0 ? undefined : `expected only ${status}, got ${parts.join(', ')}`
}

export interface Shares {
  shareOfHello: number
  shareRange?: [number, number]
  cpuShareOfHello?: number
}

/** A measurement's shares of one hello-world run (for the hello-world rows themselves). */
export function sharesOf(
  measurement: Measurement | undefined,
  hello: Measurement | undefined,
): Shares | undefined {
  if (!measurement || !hello || hello.rps <= 0) return undefined
  const helloCpu = hello.serverCpuUsPerRequest
  const cpu = measurement.serverCpuUsPerRequest
  return {
    shareOfHello: measurement.rps / hello.rps,
    ...(helloCpu && cpu ? { cpuShareOfHello: helloCpu / cpu } : {}),
  }
}

export function judge(
  result: Omit<ScenarioResult, 'verdict' | 'shareOfHello' | 'shareRange' | 'cpuShareOfHello'>,
  shares: Shares | undefined,
): ScenarioResult {
  if (result.problem || !result.measurement) return { ...result, verdict: 'ERROR' }
  if (!shares) return { ...result, verdict: 'INFO' }
  if (result.target === undefined) return { ...result, ...shares, verdict: 'INFO' }
  return { ...result, ...shares, verdict: shares.shareOfHello >= result.target ? 'PASS' : 'FAIL' }
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits)
const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)} %`)

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? []
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
  const rule = widths.map((width) => '─'.repeat(width)).join('  ')
  return [line(rows[0] ?? []), rule, ...rows.slice(1).map(line)].join('\n')
}

export function renderReport(report: BenchReport): string {
  const { machine, setup, options } = report
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    '% of hello',
    'slices',
    'target',
    'result',
    'CPU-based %',
  ]
  const row = (result: ScenarioResult): string[] => [
    result.label,
    fixed(result.measurement?.rps, 0),
    fixed(result.measurement?.p50, 2),
    fixed(result.measurement?.p99, 2),
    fixed(result.measurement?.serverCpuUsPerRequest, 0),
    result === report.helloWorld ? '100.0 %' : percent(result.shareOfHello),
    result.shareRange ? `${percent(result.shareRange[0])}–${percent(result.shareRange[1])}` : '',
    result.target === undefined ? '' : `≥ ${(result.target * 100).toFixed(0)} %`,
    result.verdict,
    result === report.helloWorld ? '100.0 %' : percent(result.cpuShareOfHello),
  ]
  const lines = [
    '',
    `Roster benchmark — ${report.date}`,
    `machine: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}`,
    `store: ${setup.store}; ${setup.users.toLocaleString('en-US')} users (+ ${setup.smallTenantUsers.toLocaleString('en-US')} in a second tenant) seeded in ${setup.seedSeconds.toFixed(1)} s`,
    `servers: ${setup.servers}`,
    `load: ${setup.loadGenerator}; ${options.connections} connections, ${options.duration} s per scenario after ${options.warmup} s of warm-up`,
    `load average (1 min) before the run: ${report.loadAverageBefore}` +
      (report.loadAverageBefore > 0.25 * machine.cpus
        ? ' — other work was running: expect noisy numbers'
        : ''),
    '',
    table([
      header,
      row(report.helloWorld),
      ...report.scenarios.map(row),
      ...(report.helloWorldAfter ? [row(report.helloWorldAfter)] : []),
    ]),
  ]
  lines.push(
    '',
    'req/s and % of hello decide the targets. Each Roster scenario runs in slices, with a hello-world slice',
    'before each and after the last (this machine drifts by up to a third within a minute); a slice is',
    'judged against the mean of the hello-world slices beside it, % of hello is the median over the slices,',
    "and 'slices' gives the lowest and highest. CPU µs/req is the server process CPU time (user + system,",
    "all threads) per response; CPU-based % is the hello-world's CPU µs/req over the scenario's (median",
    'over slices): what the share would be if the server alone were the bottleneck.',
  )
  const scaling = report.filterScaling
  if (scaling) {
    lines.push(
      '',
      `filter p50 at ${setup.users.toLocaleString('en-US')} users / at ${setup.smallTenantUsers.toLocaleString('en-US')} users: ` +
        `${fixed(scaling.p50Large, 2)} ms / ${fixed(scaling.p50Small, 2)} ms = ${fixed(scaling.ratio, 2)}× ` +
        `(target ≤ ${scaling.max}×) ${scaling.verdict}`,
    )
  }
  if (report.groups) lines.push(renderGroupReport(report.groups, report.groups.largeMembers).trimEnd())
  const problems = [
    report.helloWorld,
    ...report.scenarios,
    ...(report.helloWorldAfter ? [report.helloWorldAfter] : []),
  ].filter((result) => result.problem)
  if (problems.length > 0) {
    lines.push('', 'HARNESS ERRORS (these numbers are not valid):')
    for (const result of problems) lines.push(`  ${result.label}: ${result.problem}`)
  }
  return `${lines.join('\n')}\n`
}

export function writeReportJson(report: BenchReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
}
