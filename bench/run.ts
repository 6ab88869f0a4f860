import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { settle, sliceShares } from './ceiling.js'
import { type ConsoleLogin, consoleEmployeesScenario, seedConsoleAccount } from './console-scenario.js'
import { measureGroups, seedGroups } from './group-bench.js'
import { type LoadOptions, type Measurement, measureLoad, measureSliced } from './load.js'
import { type BenchOptions, parseBenchOptions } from './options.js'
import { type ChildServer, startChild, stopAllChildren } from './processes.js'
import { measureProvisioning, renderProvisioning } from './provisioning-bench.js'
import {
  type BenchReport,
  judge,
  loadAverage,
  machineInfo,
  problemOf,
  renderReport,
  type ScenarioResult,
  type Shares,
  sharesOf,
  writeReportJson,
} from './report.js'
import {
  filterScenario,
  getByIdScenario,
  helloWorldScenario,
  pageScenario,
  patchScenario,
  postScenario,
  type Scenario,
} from './scenarios.js'
import { type SeededTenant, seedTenant } from './seed.js'
import { type BenchStore, createBenchStore } from './store.js'

/**
 * `npm run bench`: seeds a tenant, then measures a Fastify hello-world and Roster, each in its own
 * child process, with autocannon running here. Exit code 0 whether or not targets are met (this
 * is a report); non-zero when the harness failed (a server did not start, unexpected statuses).
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
// Compiled to dist/bench/: the hello-world sits beside this file, the CLI in dist/src, results in the repo.
const HELLO_WORLD = here('./hello-world.js')
const ROSTER_CLI = here('../src/cli/main.js')
const RESULTS = here('../../bench/results/')
/** Both servers: pino at `warn`, so neither writes a log line per request. */
const LOG_LEVEL = 'warn'
const FILTER_SCALING_MAX = 1.5

const log = (line: string) => process.stderr.write(`${line}\n`)
const wants = (options: BenchOptions, key: string) => !options.only || options.only.includes(key)
const wantsGroups = (options: BenchOptions) => wants(options, 'groups')

async function seed(
  store: BenchStore,
  options: BenchOptions,
): Promise<{ large: SeededTenant; small: SeededTenant; login: ConsoleLogin | undefined }> {
  const db = await store.open()
  try {
    const progress = (done: number) => {
      if (done % 20_000 === 0 || done === options.users) log(`  seeded ${done.toLocaleString('en-US')} users`)
    }
    const large = await seedTenant(db, { slug: 'large', users: options.users, onProgress: progress })
    const small = await seedTenant(db, { slug: 'small', users: options.smallUsers })
    const login = wants(options, 'console-employees') ? await seedConsoleAccount(db, large) : undefined
    return { large, small, login }
  } finally {
    await db.destroy()
    store.flush()
  }
}

/** Stops Roster, seeds the group scenarios' tenant, and leaves Roster to be restarted by the caller. */
async function seedGroupsBetween(store: BenchStore, options: BenchOptions, roster: ChildServer) {
  await roster.stop()
  const db = await store.open()
  try {
    const groups = await seedGroups(db, options.groupMembers)
    log(`  seeded a group of ${options.groupMembers.toLocaleString('en-US')} members and one of 10`)
    return groups
  } finally {
    await db.destroy()
    store.flush()
  }
}

/** One request through fetch, checked in full, before the load: a broken endpoint fails here, loudly. */
async function smokeTest(server: ChildServer, scenario: Scenario, headers: Record<string, string>) {
  const request = scenario.next()
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  const text = await response.text()
  if (response.status !== scenario.status) {
    return `smoke request ${request.method} ${request.path} answered ${response.status}, expected ${scenario.status}: ${text.slice(0, 500)}`
  }
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    return `smoke request ${request.method} ${request.path} answered non-JSON: ${text.slice(0, 200)}`
  }
  const problem = scenario.check(body, request)
  return problem && `smoke request ${request.method} ${request.path}: ${problem}: ${text.slice(0, 500)}`
}

/**
 * What a scenario is compared with: one hello-world run measured earlier (the hello-world rows), or
 * hello-world slices measured between slices of this one, on the `hello` server (ceiling.ts).
 */
type Yardstick = { measured: Measurement | undefined } | { hello: ChildServer }

const HELLO_HEADERS = { 'content-type': 'application/json' }

interface Measured {
  measurement: Measurement
  shares: Shares | undefined
  /** The hello-world slices measured between this scenario's slices (none when measured alone). */
  helloSlices: Measurement[]
}

async function measureAlone(load: LoadOptions, hello: Measurement | undefined): Promise<Measured> {
  const measurement = await measureLoad(load)
  return { measurement, shares: sharesOf(measurement, hello), helloSlices: [] }
}

/** The scenario in slices on `server`, a hello-world slice on `hello` before each and after the last. */
async function measureBesideHelloWorld(
  load: LoadOptions,
  server: ChildServer,
  hello: ChildServer,
  options: BenchOptions,
): Promise<Measured> {
  const helloScenario = helloWorldScenario()
  const helloSlices: Measurement[] = []
  const sliced = await measureSliced(load, options.slices, async () => {
    await settle(server)
    helloSlices.push(
      await measureLoad({
        url: hello.url,
        headers: HELLO_HEADERS,
        next: helloScenario.next,
        connections: options.connections,
        duration: options.duration / options.slices,
        warmup: 0,
        serverCpu: hello.cpuSeconds,
      }),
    )
  })
  const computed = sliceShares(sliced.slices, helloSlices)
  const shares: Shares | undefined = computed && {
    shareOfHello: computed.share,
    shareRange: [computed.low, computed.high],
    ...(computed.cpuShare === undefined ? {} : { cpuShareOfHello: computed.cpuShare }),
  }
  return { measurement: sliced.measurement, shares, helloSlices }
}

async function runScenario(
  server: ChildServer,
  scenario: Scenario,
  options: BenchOptions,
  yardstick: Yardstick,
): Promise<ScenarioResult> {
  if (scenario.prepare) await scenario.prepare(server.url)
  const headers: Record<string, string> = { 'content-type': 'application/scim+json', ...scenario.headers }
  if (scenario.token) headers.authorization = `Bearer ${scenario.token}`
  const base = {
    key: scenario.key,
    label: scenario.label,
    ...(scenario.target === undefined ? {} : { target: scenario.target }),
  }
  log(`▸ ${scenario.label}`)
  const smokeProblem = await smokeTest(server, scenario, headers)
  if (smokeProblem) {
    log(`  ERROR ${smokeProblem}`)
    return judge({ ...base, problem: smokeProblem }, undefined)
  }
  const load = {
    url: server.url,
    headers,
    next: scenario.next,
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    serverCpu: server.cpuSeconds,
  }
  const { measurement, shares, helloSlices } =
    'hello' in yardstick
      ? await measureBesideHelloWorld(load, server, yardstick.hello, options)
      : await measureAlone(load, yardstick.measured)
  let problem = problemOf(measurement, scenario.status)
  const helloProblem = helloSlices.map((slice) => problemOf(slice, 200)).find(Boolean)
  if (helloProblem) problem = `hello-world slice: ${helloProblem}`
  if (!server.alive()) problem = `${server.name} died during the run:\n${server.output()}`
  const result = judge(
    {
      ...base,
      measurement,
      ...(helloSlices.length > 0 ? { helloSlices: helloSlices.map((slice) => slice.rps) } : {}),
      ...(problem ? { problem } : {}),
    },
    shares,
  )
  const slicesNote =
    helloSlices.length > 0
      ? `; hello-world slices ${helloSlices.map((slice) => Math.round(slice.rps)).join(', ')} req/s`
      : ''
  log(
    `  ${Math.round(measurement.rps)} req/s, p50 ${measurement.p50.toFixed(2)} ms, p99 ${measurement.p99.toFixed(2)} ms, ` +
      `server ${measurement.serverCpuUsPerRequest?.toFixed(0) ?? '?'} µs CPU/req${slicesNote}${problem ? `  ERROR ${problem}` : ''}`,
  )
  return result
}

const startHelloWorld = () =>
  startChild({ name: 'hello-world', args: [HELLO_WORLD], env: { LOG_LEVEL }, readyPath: '/' })

async function measureHelloWorld(
  options: BenchOptions,
  label: string,
  hello: Measurement | undefined,
  server?: ChildServer,
): Promise<ScenarioResult> {
  const own = server ? undefined : await startHelloWorld()
  try {
    const result = await runScenario(
      server ?? (own as ChildServer),
      { ...helloWorldScenario(), label },
      options,
      { measured: hello },
    )
    return hello === undefined && !result.problem ? { ...result, verdict: 'BASELINE' } : result
  } finally {
    await own?.stop()
  }
}

async function main(options: BenchOptions, store: BenchStore): Promise<BenchReport> {
  const loadBefore = loadAverage()
  log(
    `seeding ${options.users.toLocaleString('en-US')} + ${options.smallUsers.toLocaleString('en-US')} users (${store.kind})`,
  )
  const seedStart = performance.now()
  const { large, small, login } = await seed(store, options)
  const seedSeconds = (performance.now() - seedStart) / 1000

  // One hello-world child for the whole run, idle while Roster is measured (see ceiling.ts).
  const helloServer = await startHelloWorld()
  const helloWorld = await measureHelloWorld(options, 'Fastify hello-world (GET /)', undefined, helloServer)
  const hello = helloWorld.problem ? undefined : helloWorld.measurement

  const scenarios = [
    getByIdScenario(large),
    filterScenario(large, 'filter', 0.35),
    filterScenario(small, 'filter-small'),
    pageScenario(large),
    // Before the writes: its check expects the seeded number of employees.
    ...(login ? [consoleEmployeesScenario(large, login)] : []),
    patchScenario(large),
    // Last: it grows the tenant.
    postScenario(large),
  ].filter((scenario) => !options.only || options.only.includes(scenario.key))

  const startRoster = () =>
    startChild({
      name: 'roster',
      args: [ROSTER_CLI, 'serve'],
      nodeArgs: options.profile ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS, 'profiles')] : [],
      env: { DATABASE_URL: store.databaseUrl, LOG_LEVEL, RATE_LIMIT_MAX: '1000000000' },
      readyPath: '/healthz',
    })
  let roster = await startRoster()
  const results: ScenarioResult[] = []
  let groupResult: BenchReport['groups']
  try {
    for (const scenario of scenarios) {
      results.push(await runScenario(roster, scenario, options, { hello: helloServer }))
      if (!roster.alive()) break
    }
    // The group data set (another 100,000 users and their group) is added only now, with Roster
    // stopped: the user scenarios above measure the 100,000-user directory they are defined on.
    const groups =
      wantsGroups(options) && roster.alive() ? await seedGroupsBetween(store, options, roster) : undefined
    if (groups) roster = await startRoster()
    if (groups && roster.alive()) {
      log('▸ groups: create, add 100 members, remove 1, GET without members (large and small group)')
      groupResult = {
        ...(await measureGroups(roster.url, groups, options.groupRequests)),
        largeMembers: options.groupMembers,
      }
      for (const scaling of groupResult.scaling) {
        log(`  ${scaling.label}: ${scaling.ratio.toFixed(2)}× (${scaling.verdict})`)
      }
      if (groupResult.problem) log(`  ERROR ${groupResult.problem}`)
    }
  } finally {
    await roster.stop()
  }
  const helloWorldAfter = await measureHelloWorld(
    options,
    'hello-world again, after Roster',
    hello,
    helloServer,
  )
  await helloServer.stop()

  const large100k = results.find((result) => result.key === 'filter')?.measurement
  const small1k = results.find((result) => result.key === 'filter-small')?.measurement
  const ratio = large100k && small1k ? large100k.p50 / small1k.p50 : undefined
  return {
    date: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageBefore: loadBefore,
    options,
    setup: {
      store: store.kind,
      users: options.users,
      smallTenantUsers: options.smallUsers,
      seedSeconds,
      servers: `child processes (node ${process.version}), LOG_LEVEL=${LOG_LEVEL} for both; Roster with RATE_LIMIT_MAX=1e9`,
      loadGenerator: 'autocannon in the bench process, pipelining 1',
    },
    helloWorld,
    scenarios: results,
    helloWorldAfter,
    ...(large100k && small1k && ratio !== undefined
      ? {
          filterScaling: {
            p50Large: large100k.p50,
            p50Small: small1k.p50,
            ratio,
            max: FILTER_SCALING_MAX,
            verdict: ratio <= FILTER_SCALING_MAX ? 'PASS' : 'FAIL',
          },
        }
      : {}),
    ...(groupResult ? { groups: groupResult } : {}),
    harnessOk:
      [helloWorld, ...results, helloWorldAfter].every((result) => !result.problem) && !groupResult?.problem,
  }
}

let options: BenchOptions
try {
  options = parseBenchOptions(process.argv.slice(2))
} catch (error) {
  log(`bench: ${error instanceof Error ? error.message : String(error)} (see --help)`)
  process.exit(2)
}
const store = createBenchStore(options.db)
const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping the servers`)
  stopAllChildren()
    .finally(() => store.dispose())
    .finally(() => process.exit(130))
}
process.once('SIGINT', interrupt)
process.once('SIGTERM', interrupt)
/** `--only provisioning`: its own Roster child and table; never part of the default run (it is long). */
async function provisioningGroup(options: BenchOptions, store: BenchStore): Promise<boolean> {
  await (await store.open()).destroy()
  // The machine's ceiling in the same run, for the closing note's figures.
  const hello = await measureHelloWorld(options, 'Fastify hello-world (GET /)', undefined)
  const roster = await startChild({
    name: 'roster',
    args: [ROSTER_CLI, 'serve'],
    nodeArgs: options.profile ? ['--cpu-prof', '--cpu-prof-dir', join(RESULTS, 'profiles')] : [],
    env: { DATABASE_URL: store.databaseUrl, LOG_LEVEL, RATE_LIMIT_MAX: '1000000000' },
    readyPath: '/healthz',
  })
  try {
    const result = await measureProvisioning(store, roster, {
      users: options.provUsers,
      groups: options.provGroups,
      concurrency: 32,
    })
    process.stdout.write(renderProvisioning(result, store.kind, hello.measurement))
    return !result.problem
  } finally {
    await roster.stop()
  }
}

const provisioningOnly = options.only?.length === 1 && options.only[0] === 'provisioning'
try {
  if (options.only?.includes('provisioning')) {
    const ok = await provisioningGroup(options, store)
    if (!ok) process.exitCode = 1
    if (provisioningOnly) {
      await stopAllChildren()
      await store.dispose()
      process.exit(process.exitCode ?? 0)
    }
  }
  const report = await main(options, store)
  process.stdout.write(renderReport(report))
  const file = join(RESULTS, 'latest.json')
  writeReportJson(report, file)
  log(`\nwritten to ${file}`)
  if (!report.harnessOk) process.exitCode = 1
} catch (error) {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 2
} finally {
  await stopAllChildren()
  await store.dispose()
}
