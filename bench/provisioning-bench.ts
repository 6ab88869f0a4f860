import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { issueAccessToken } from '../src/access/access-tokens.js'
import { createTenant } from '../src/directory/tenants.js'
import { runCycle } from '../src/provisioning/engine/run-cycle.js'
import { createJob } from '../src/provisioning/jobs/jobs-repository.js'
import type { SourceConnector, SourceSnapshot, SourceUser } from '../src/provisioning/source/connector.js'
import { generateDirectory } from '../src/provisioning/source/generated-directory.js'
import type { Db } from '../src/store/database.js'
import { openStore } from '../src/store/open.js'
import type { Measurement } from './load.js'
import type { ChildServer } from './processes.js'
import { table } from './report.js'
import type { BenchStore } from './store.js'

/**
 * `--only provisioning`: the provisioning service against a local Roster (issue 6, bench item 4).
 * 1. initial cycle of a generated directory (default 100,000 users, 1,000 groups) → < 5 min;
 * 2. incremental cycle after 1 % of the users changed → < 15 s;
 * 3. politeness: a job limited to 25 requests/s over ~20 s of work, counted by a proxy in front
 *    of Roster → ≥ 95 % of 25/s and no failed object.
 * The engine runs in this process with its own SQLite store; Roster serves in the child.
 */
export interface ProvisioningBenchOptions {
  users: number
  groups: number
  /** Objects worked on at once in the throughput cycles. */
  concurrency: number
}

export interface ProvisioningRow {
  label: string
  value: string
  target: string
  verdict: 'PASS' | 'FAIL' | 'INFO' | 'ERROR'
  detail: string
}

export interface ProvisioningBenchResult {
  users: number
  groups: number
  rows: ProvisioningRow[]
  problem?: string
}

const POLITE_RATE = 25
const POLITE_SECONDS = 20
const noNotify = { alert: async () => false, cleared: () => {} }
const log = (line: string) => process.stderr.write(`${line}\n`)

const fixedConnector = (snapshot: SourceSnapshot, description: string): SourceConnector => ({
  description,
  readSnapshot: async () => snapshot,
})

/** Every 100th user gets a new job title (and every 200th a new department): 1 % of users changed. */
export function changeOnePercent(snapshot: SourceSnapshot): { snapshot: SourceSnapshot; changed: number } {
  let changed = 0
  const users: SourceUser[] = snapshot.users.map((user, n) => {
    if (n % 100 !== 50) return user
    changed++
    const attributes: SourceUser['attributes'] = {
      ...user.attributes,
      jobTitle: `${String(user.attributes.jobTitle ?? 'Staff')} II`,
    }
    if (n % 200 === 50) attributes.department = `${String(user.attributes.department ?? 'Operations')} (new)`
    return { ...user, attributes }
  })
  return { snapshot: { ...snapshot, users }, changed }
}

/** Counts the requests that reach Roster, with their times, and forwards them unchanged. */
async function countingProxy(targetUrl: string) {
  const target = new URL(targetUrl)
  const times: number[] = []
  const server = createServer((req, res) => {
    times.push(performance.now())
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    times,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function tenantFor(store: BenchStore, slug: string) {
  const db = await store.open()
  try {
    const tenant = await createTenant(db, { slug, name: `Provisioning bench ${slug}`, rules: 'rfc' })
    const { token } = await issueAccessToken(db, tenant.id, { name: 'provisioning bench', scopes: ['scim'] })
    return token
  } finally {
    await db.destroy()
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export async function measureProvisioning(
  store: BenchStore,
  roster: ChildServer,
  options: ProvisioningBenchOptions,
): Promise<ProvisioningBenchResult> {
  const rows: ProvisioningRow[] = []
  const engineDir = mkdtempSync(join(tmpdir(), 'roster-prov-bench-'))
  let engine: Db | undefined
  try {
    const bigToken = await tenantFor(store, 'provisioning')
    const politeToken = await tenantFor(store, 'polite')
    engine = await openStore({ databaseUrl: join(engineDir, 'engine.db') })

    const generated = performance.now()
    const source = generateDirectory({ users: options.users, groups: options.groups, seed: 2026 })
    const memberships = source.groups.reduce((sum, group) => sum + group.members.length, 0)
    log(
      `  generated ${source.users.length.toLocaleString('en-US')} users, ${source.groups.length.toLocaleString('en-US')} groups, ` +
        `${memberships.toLocaleString('en-US')} memberships in ${seconds(performance.now() - generated)}`,
    )
    const job = await createJob(engine, {
      name: 'bench: generated directory → Roster',
      source: { kind: 'file', path: 'generated.json' },
      targetUrl: `${roster.url}/scim/v2`,
      targetToken: bigToken,
      settings: {
        rateLimitPerSecond: 100_000,
        concurrency: options.concurrency,
        deletionThreshold: 1_000_000,
      },
    })
    const progress = (label: string) => {
      let last = 0
      return (p: { processed: number; total: number }) => {
        if (performance.now() - last < 10_000) return
        last = performance.now()
        log(`  ${label}: ${p.processed.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`)
      }
    }

    log(
      `▸ provisioning: initial cycle (${options.users.toLocaleString('en-US')} users, ${options.groups} groups)`,
    )
    let start = performance.now()
    const initial = await runCycle(engine, job.id, {
      connector: fixedConnector(source, 'generated directory'),
      notify: noNotify,
      onProgress: progress('initial'),
    })
    const initialMs = performance.now() - start
    const initialFailed = initial.cycle.counts.failure
    const initialOk = initial.cycle.status === 'succeeded' && initialFailed === 0
    log(`  ${seconds(initialMs)}, ${initial.cycle.status}, counts ${JSON.stringify(initial.cycle.counts)}`)
    rows.push({
      label: `initial cycle, ${options.users.toLocaleString('en-US')} users + ${options.groups.toLocaleString('en-US')} groups`,
      value: seconds(initialMs),
      target: '< 300 s',
      verdict: !initialOk ? 'ERROR' : initialMs < 300_000 ? 'PASS' : 'FAIL',
      detail: `${initial.cycle.status}; ${initialFailed} failed; ${Math.round(initial.progress.processed / (initialMs / 1000))} objects/s; Entra: 1,170–2,340 min for 10k–100k objects`,
    })
    if (!roster.alive()) return { users: options.users, groups: options.groups, rows, problem: 'Roster died' }

    const { snapshot: changedSource, changed } = changeOnePercent(source)
    log(`▸ provisioning: incremental cycle (${changed.toLocaleString('en-US')} users changed)`)
    start = performance.now()
    const incremental = await runCycle(engine, job.id, {
      connector: fixedConnector(changedSource, 'generated directory'),
      notify: noNotify,
    })
    const incrementalMs = performance.now() - start
    const counts = incremental.cycle.counts
    const incrementalOk = incremental.cycle.status === 'succeeded' && counts.failure === 0
    log(`  ${seconds(incrementalMs)}, ${incremental.cycle.status}, counts ${JSON.stringify(counts)}`)
    rows.push({
      label: `incremental cycle, ${changed.toLocaleString('en-US')} users changed (1 %)`,
      value: seconds(incrementalMs),
      target: '< 15 s',
      verdict: !incrementalOk ? 'ERROR' : incrementalMs < 15_000 ? 'PASS' : 'FAIL',
      detail: `${incremental.cycle.status}; counts ${JSON.stringify(counts)}`,
    })

    // Politeness: a fresh job whose initial cycle needs ~20 s of requests at 25/s.
    const politeUsers = Math.min(options.users, Math.round((POLITE_RATE * POLITE_SECONDS) / 2))
    const politeSource = generateDirectory({ users: politeUsers, groups: 0, seed: 7 })
    const proxy = await countingProxy(roster.url)
    try {
      const politeJob = await createJob(engine, {
        name: 'bench: politeness',
        source: { kind: 'file', path: 'generated.json' },
        targetUrl: `${proxy.url}/scim/v2`,
        targetToken: politeToken,
        settings: { rateLimitPerSecond: POLITE_RATE, concurrency: 8 },
      })
      log(`▸ provisioning: politeness (${politeUsers} users, the job limited to ${POLITE_RATE} requests/s)`)
      start = performance.now()
      const polite = await runCycle(engine, politeJob.id, {
        connector: fixedConnector(politeSource, 'generated directory'),
        notify: noNotify,
      })
      const politeMs = performance.now() - start
      const times = proxy.times
      const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000
      const rate = times.length > 1 && span > 0 ? (times.length - 1) / span : 0
      const share = rate / POLITE_RATE
      const failed = polite.cycle.counts.failure
      log(
        `  ${times.length} requests in ${span.toFixed(1)} s (cycle ${seconds(politeMs)}): ${rate.toFixed(2)}/s, ${failed} failed`,
      )
      rows.push({
        label: `politeness: rate used of ${POLITE_RATE} requests/s`,
        value: `${(share * 100).toFixed(1)} %`,
        target: '≥ 95 %',
        verdict: share >= 0.95 && share <= 1.05 ? 'PASS' : 'FAIL',
        detail: `${times.length} requests in ${span.toFixed(1)} s = ${rate.toFixed(2)}/s; cycle ${seconds(politeMs)}`,
      })
      rows.push({
        label: 'politeness: failed objects',
        value: String(failed),
        target: '0',
        verdict: failed === 0 && polite.cycle.status === 'succeeded' ? 'PASS' : 'FAIL',
        detail: `${polite.cycle.status}; counts ${JSON.stringify(polite.cycle.counts)}`,
      })
    } finally {
      await proxy.close()
    }
    return { users: options.users, groups: options.groups, rows }
  } catch (error) {
    const problem = error instanceof Error ? (error.stack ?? error.message) : String(error)
    log(`  ERROR ${problem}`)
    return { users: options.users, groups: options.groups, rows, problem }
  } finally {
    await engine?.destroy()
    rmSync(engineDir, { recursive: true, force: true })
  }
}

export function renderProvisioning(
  result: ProvisioningBenchResult,
  store: string,
  hello: Measurement | undefined,
): string {
  const lines = [
    '',
    `Provisioning benchmark — ${new Date().toISOString()}`,
    `generated directory: ${result.users.toLocaleString('en-US')} users, ${result.groups.toLocaleString('en-US')} groups; target: Roster (child process, ${store}, tenant rules rfc); engine in the bench process`,
    hello
      ? `machine ceiling, same run: Fastify hello-world ${Math.round(hello.rps).toLocaleString('en-US')} req/s (p50 ${hello.p50.toFixed(2)} ms, p99 ${hello.p99.toFixed(2)} ms)`
      : 'machine ceiling: the hello-world could not be measured',
    '',
    table([
      ['scenario', 'measured', 'target', 'result', 'detail'],
      ...result.rows.map((row) => [row.label, row.value, row.target, row.verdict, row.detail]),
    ]),
    ...(result.problem ? ['', `ERROR ${result.problem}`] : []),
    '',
  ]
  return lines.join('\n')
}
