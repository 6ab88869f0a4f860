import { parseArgs } from 'node:util'

/** Where the benchmark's data lives: a fresh SQLite file, or a fresh database on the local PostgreSQL. */
export const STORE_KINDS = ['sqlite', 'postgres'] as const
export type StoreKind = (typeof STORE_KINDS)[number]

export interface BenchOptions {
  /** Measured seconds per scenario (after a warm-up). */
  duration: number
  warmup: number
  /** Users seeded in the large tenant. */
  users: number
  /** Users seeded in the small tenant, the baseline for the filter's scaling. */
  smallUsers: number
  connections: number
  /** Slices each Roster scenario's measured time is cut into, a hello-world slice beside each (ceiling.ts). */
  slices: number
  db: StoreKind
  quick: boolean
  /** Run only these Roster scenarios (keys); the hello-world always runs. */
  only?: string[]
  /** Write a V8 CPU profile of the Roster child to bench/results/profiles/. */
  profile: boolean
  /** Members of the large group in the group scenarios (the small one has 10). */
  groupMembers: number
  /** Measured requests per group scenario, sent one at a time. */
  groupRequests: number
  /** The provisioning scenario group (`--only provisioning`): users and groups of the generated directory. */
  provUsers: number
  provGroups: number
}

const USAGE = `usage: npm run bench -- [--quick] [--duration S] [--warmup S] [--users N] [--small-users N] [--connections N] [--db sqlite|postgres]
  --quick         2 s per scenario and 5,000 users, for fast iteration
  --duration S    measured seconds per scenario (default 10)
  --warmup S      warm-up seconds before each measurement (default 2)
  --users N       users seeded in the large tenant (default 100000)
  --small-users N users in the small tenant, the filter-scaling baseline (default 1000, at most --users)
  --connections N concurrent connections of the load generator (default 32)
  --slices N      slices of each Roster scenario, a hello-world slice before each and after the
                  last; the share of hello-world is the median over them (default 5; --quick 2)
  --db KIND       store: sqlite (default) or postgres (a fresh roster_bench_* database on
                  BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards)
  --only K1,K2    only these scenarios: get-by-id, filter, filter-small, page-100,
                  console-employees, patch, post, groups, provisioning
                  (provisioning is NOT run by default: at 100,000 users it takes longer than 5 minutes.
                  --only provisioning runs it alone: initial cycle, 1 % incremental cycle, and a
                  25 requests/s politeness run, against a local Roster on SQLite)
  --prov-users N  users of the provisioning scenario's generated directory (default 100000; --quick 5000)
  --prov-groups N groups of it (default 1000; --quick 50)
  --group-members N  members of the large group in the group scenarios (default 100000)
  --profile       write a CPU profile of the Roster server to bench/results/profiles/`

function positive(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < min)
    throw new TypeError(`--${name} must be a number >= ${min}, got "${text}"`)
  return value
}

export function parseBenchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      users: { type: 'string' },
      'small-users': { type: 'string' },
      connections: { type: 'string' },
      slices: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'group-members': { type: 'string' },
      'prov-users': { type: 'string' },
      'prov-groups': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  if (!(STORE_KINDS as readonly string[]).includes(values.db)) {
    throw new TypeError(`--db must be one of ${STORE_KINDS.join(', ')}, got "${values.db}"`)
  }
  const quick = values.quick
  const users = Math.floor(positive('users', values.users, quick ? 5_000 : 100_000, 200))
  const smallUsers = Math.floor(positive('small-users', values['small-users'], Math.min(1_000, users)))
  if (smallUsers > users)
    throw new TypeError(`--small-users (${smallUsers}) must not exceed --users (${users})`)
  return {
    duration: positive('duration', values.duration, quick ? 2 : 10),
    warmup: positive('warmup', values.warmup, quick ? 1 : 2, 0),
    users,
    smallUsers,
    connections: Math.floor(positive('connections', values.connections, 32)),
    slices: Math.floor(positive('slices', values.slices, quick ? 2 : 5)),
    db: values.db as StoreKind,
    quick,
    ...(values.only === undefined ? {} : { only: values.only.split(',').map((key) => key.trim()) }),
    profile: values.profile,
    groupMembers: Math.floor(positive('group-members', values['group-members'], quick ? 5_000 : 100_000, 20)),
    groupRequests: quick ? 100 : 400,
    provUsers: Math.floor(positive('prov-users', values['prov-users'], quick ? 5_000 : 100_000, 10)),
    provGroups: Math.floor(positive('prov-groups', values['prov-groups'], quick ? 50 : 1_000, 0)),
  }
}
