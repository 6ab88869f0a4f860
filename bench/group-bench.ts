import { sql } from 'kysely'
import { groupColumns } from '../src/directory/group-record.js'
import { newResourceId } from '../src/directory/resource-id.js'
import type { Db } from '../src/store/database.js'
import { isPostgres } from '../src/store/dialects/sql-dialect-of.js'
import { insertMembers } from '../src/store/group-members-repository.js'
import { insertGroup } from '../src/store/groups-repository.js'
import { type SeededTenant, seedTenant } from './seed.js'

/**
 * Issue 3's group figures: the same requests against a group of `largeMembers` members and one of
 * 10, in the same run. What is judged is latency (p50) as a group grows, so each request is sent
 * alone, one after the other on one connection: a request that changes a group is then always
 * followed by the (unmeasured) request that puts it back, and both groups keep their size.
 */
export interface GroupBenchSetup {
  tenant: SeededTenant
  large: { id: string; members: number }
  small: { id: string; members: number }
  /** Users in no group: what "add 100 members" adds (and then removes again). */
  pool: string[]
}

const SMALL_MEMBERS = 10
const POOL = 1000
const BATCH = 100
const SCIM = '/scim/v2'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** A tenant of `largeMembers + 1,000` users, a group of `largeMembers` of them and a group of 10. */
export async function seedGroups(db: Db, largeMembers: number): Promise<GroupBenchSetup> {
  const tenant = await seedTenant(db, { slug: 'groups', users: largeMembers + POOL })
  const now = new Date().toISOString()
  // The directory's own columns and membership rows (groupColumns, insertMembers), written
  // directly: the API's checks would cost minutes for 100,000 members and prove nothing here.
  const group = async (displayName: string, memberIds: string[]) => {
    const id = newResourceId()
    await db.transaction().execute(async (trx) => {
      await insertGroup(trx, {
        tenant_id: tenant.tenantId,
        id,
        created: now,
        ...groupColumns({ displayName }, now, 1),
      })
      const members = memberIds.map((memberId) => ({ id: memberId, type: 'User' as const }))
      await insertMembers(trx, tenant.tenantId, id, members)
    })
    return { id, members: memberIds.length }
  }
  const large = await group('Everyone', tenant.ids.slice(0, largeMembers))
  const small = await group('Founders', tenant.ids.slice(0, SMALL_MEMBERS))
  // As after seeding users: a bulk load leaves PostgreSQL planning group_members as if it were empty
  // (scanning a whole group to probe a few members) until autovacuum gets to it.
  if (isPostgres(db)) await sql`analyze group_members`.execute(db)
  return { tenant, large, small, pool: tenant.ids.slice(largeMembers) }
}

export interface LatencyResult {
  key: string
  label: string
  members: number
  requests: number
  p50: number
  p99: number
}

export interface GroupScaling {
  label: string
  p50Large: number
  p50Small: number
  ratio: number
  max: number
  verdict: 'PASS' | 'FAIL'
}

export interface GroupBenchResult {
  results: LatencyResult[]
  scaling: GroupScaling[]
  problem?: string
}

interface Step {
  method: string
  path: string
  body?: unknown
  status: number
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
}

/** Sends `measured` then `restore` (unmeasured) `iterations` times after a warm-up; p50/p99 of `measured`. */
async function measure(
  url: string,
  token: string,
  iterations: number,
  step: (i: number) => { measured: Step; restore?: Step },
): Promise<{ p50: number; p99: number }> {
  const send = async (request: Step) => {
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    })
    const text = await response.text()
    if (response.status !== request.status) {
      throw new Error(
        `${request.method} ${request.path} answered ${response.status}, expected ${request.status}: ${text.slice(0, 300)}`,
      )
    }
  }
  const warmup = Math.max(10, Math.floor(iterations / 10))
  const times: number[] = []
  for (let i = 0; i < warmup + iterations; i++) {
    const { measured, restore } = step(i)
    const start = performance.now()
    await send(measured)
    if (i >= warmup) times.push(performance.now() - start)
    if (restore) await send(restore)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const refs = (ids: string[]) => ids.map((value) => ({ value }))

export async function measureGroups(
  url: string,
  setup: GroupBenchSetup,
  iterations: number,
): Promise<GroupBenchResult> {
  const { token } = setup.tenant
  const results: LatencyResult[] = []
  const record = async (key: string, label: string, members: number, step: Parameters<typeof measure>[3]) => {
    const { p50, p99 } = await measure(url, token, iterations, step)
    results.push({ key, label, members, requests: iterations, p50, p99 })
  }
  try {
    await record('group-create', 'POST /Groups (no members)', 0, (i) => ({
      measured: {
        method: 'POST',
        path: `${SCIM}/Groups`,
        body: { displayName: `Team ${i}` },
        status: 201,
      },
    }))
    for (const [size, group] of [
      ['large', setup.large],
      ['small', setup.small],
    ] as const) {
      const path = `${SCIM}/Groups/${group.id}`
      const batches = Math.floor(setup.pool.length / BATCH)
      await record(`group-add-100-${size}`, 'PATCH add 100 members', group.members, (i) => {
        const batch = setup.pool.slice((i % batches) * BATCH, (i % batches) * BATCH + BATCH)
        return {
          measured: {
            method: 'PATCH',
            path,
            body: patch({ op: 'Add', path: 'members', value: refs(batch) }),
            status: 204,
          },
          restore: {
            method: 'PATCH',
            path,
            body: patch({ op: 'Remove', path: 'members', value: refs(batch) }),
            status: 204,
          },
        }
      })
      const memberIds = setup.tenant.ids.slice(0, Math.min(group.members, 1000))
      await record(`group-remove-1-${size}`, 'PATCH remove 1 member', group.members, (i) => {
        const id = memberIds[i % memberIds.length] as string
        return {
          measured: {
            method: 'PATCH',
            path,
            body: patch({ op: 'remove', path: `members[value eq "${id}"]` }),
            status: 204,
          },
          restore: {
            method: 'PATCH',
            path,
            body: patch({ op: 'add', path: 'members', value: refs([id]) }),
            status: 204,
          },
        }
      })
      await record(`group-get-${size}`, 'GET group, excludedAttributes=members', group.members, () => ({
        measured: { method: 'GET', path: `${path}?excludedAttributes=members`, status: 200 },
      }))
    }
  } catch (error) {
    return { results, scaling: [], problem: error instanceof Error ? error.message : String(error) }
  }
  const scaling = ['group-add-100', 'group-remove-1', 'group-get'].flatMap((key) => {
    const large = results.find((result) => result.key === `${key}-large`)
    const small = results.find((result) => result.key === `${key}-small`)
    if (!large || !small) return []
    const ratio = large.p50 / small.p50
    return [
      {
        label: large.label,
        p50Large: large.p50,
        p50Small: small.p50,
        ratio,
        max: 2,
        verdict: ratio <= 2 ? ('PASS' as const) : ('FAIL' as const),
      },
    ]
  })
  return { results, scaling }
}

export function renderGroupReport(result: GroupBenchResult, largeMembers: number): string {
  const lines = [
    '',
    `Groups — one request at a time on one connection; a group of ${largeMembers.toLocaleString('en-US')} members next to one of ${SMALL_MEMBERS}`,
    '',
    `${'scenario'.padEnd(40)}  ${'members'.padStart(7)}  ${'p50 ms'.padStart(6)}  ${'p99 ms'.padStart(6)}`,
    `${'─'.repeat(40)}  ${'─'.repeat(7)}  ${'─'.repeat(6)}  ${'─'.repeat(6)}`,
    ...result.results.map(
      (r) =>
        `${r.label.padEnd(40)}  ${r.members.toLocaleString('en-US').padStart(7)}  ${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}`,
    ),
    '',
    ...result.scaling.map(
      (s) =>
        `${s.label}: p50 ${s.p50Large.toFixed(2)} ms at ${largeMembers.toLocaleString('en-US')} members vs ${s.p50Small.toFixed(2)} ms at ${SMALL_MEMBERS} = ${s.ratio.toFixed(2)}× (target ≤ ${s.max}×) ${s.verdict}`,
    ),
    ...(result.problem ? [`ERROR ${result.problem}`] : []),
    '',
  ]
  return `${lines.join('\n')}\n`
}
