import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from '../../store/database.js'

/** How long a lease lasts unless renewed: how long a crashed holder on another host blocks a job. */
export const DEFAULT_LEASE_TTL_MS = 60_000
/** How often a running cycle renews its lease: a few times per TTL, so one slow renewal is harmless. */
export const LEASE_RENEW_EVERY_MS = 5_000

let owner: string | undefined

/**
 * This process, as a lease owner: `host:pid:random`. The host and pid let a restarted service on
 * the same machine see that the holder is dead; the random part tells a recycled pid apart.
 */
export function leaseOwner(): string {
  owner ??= `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`
  return owner
}

export interface JobLease {
  jobId: string
  owner: string
  expiresAt: string
  acquiredAt: string
}

export interface AcquireLeaseOptions {
  ttlMs?: number
  now?: Date
  /** Who acquires it; default this process (tests stand in for another process with it). */
  owner?: string
}

/**
 * Takes the job's lease if it is free, expired, already ours, or held by a dead process on this
 * host; true if this owner holds it now. Every path is one atomic statement (an insert that does
 * nothing on conflict, or an update conditioned on the holder), so two contenders never both win.
 */
export async function acquireLease(
  db: Db,
  jobId: string,
  options: AcquireLeaseOptions = {},
): Promise<boolean> {
  const me = options.owner ?? leaseOwner()
  const now = options.now ?? new Date()
  const values = {
    owner: me,
    expires_at: new Date(now.getTime() + (options.ttlMs ?? DEFAULT_LEASE_TTL_MS)).toISOString(),
    acquired_at: now.toISOString(),
  }
  // A few rounds: the row may be released between our insert and our update.
  for (let round = 0; round < 3; round++) {
    const inserted = await db
      .insertInto('provisioning_leases')
      .values({ job_id: jobId, ...values })
      .onConflict((conflict) => conflict.column('job_id').doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true
    const taken = await db
      .updateTable('provisioning_leases')
      .set(values)
      .where('job_id', '=', jobId)
      .where((eb) => eb.or([eb('expires_at', '<', values.acquired_at), eb('owner', '=', me)]))
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) > 0) return true
    const current = await readLease(db, jobId)
    if (!current) continue
    if (!holderIsDead(current.owner, me)) return false
    // Compare-and-swap on the dead holder: of two restarted services, only one replaces it.
    const replaced = await db
      .updateTable('provisioning_leases')
      .set(values)
      .where('job_id', '=', jobId)
      .where('owner', '=', current.owner)
      .executeTakeFirst()
    return Number(replaced.numUpdatedRows) > 0
  }
  return false
}

/** Moves the lease's expiry forward; false if this owner no longer holds it (another took it over). */
export async function renewLease(
  db: Db,
  jobId: string,
  ttlMs = DEFAULT_LEASE_TTL_MS,
  options: { now?: Date; owner?: string } = {},
): Promise<boolean> {
  const now = options.now ?? new Date()
  const result = await db
    .updateTable('provisioning_leases')
    .set({ expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .where('job_id', '=', jobId)
    .where('owner', '=', options.owner ?? leaseOwner())
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Gives the lease up, if this owner holds it; a lease another process took over is left alone. */
export async function releaseLease(db: Db, jobId: string, owner = leaseOwner()): Promise<void> {
  await db.deleteFrom('provisioning_leases').where('job_id', '=', jobId).where('owner', '=', owner).execute()
}

export async function readLease(db: Db, jobId: string): Promise<JobLease | undefined> {
  const row = await db
    .selectFrom('provisioning_leases')
    .selectAll()
    .where('job_id', '=', jobId)
    .executeTakeFirst()
  return (
    row && { jobId: row.job_id, owner: row.owner, expiresAt: row.expires_at, acquiredAt: row.acquired_at }
  )
}

/** The job's lease while a live process (this one included) holds it; an expired or dead holder's is none. */
export async function liveLease(db: Db, jobId: string, now = new Date()): Promise<JobLease | undefined> {
  const me = leaseOwner()
  const lease = await readLease(db, jobId)
  if (!lease || lease.expiresAt < now.toISOString()) return undefined
  return lease.owner !== me && holderIsDead(lease.owner, me) ? undefined : lease
}

/** The job's lease if another live process holds it (what `acquireLease` would not take over). */
export async function leaseHeldElsewhere(
  db: Db,
  jobId: string,
  now = new Date(),
): Promise<JobLease | undefined> {
  const lease = await liveLease(db, jobId, now)
  return lease?.owner === leaseOwner() ? undefined : lease
}

/**
 * A holder on this host (same hostname) whose pid no longer exists: a crashed service, restarted.
 * Anything else (another host, a live pid, our own pid, an owner we cannot parse) waits for expiry.
 */
function holderIsDead(holder: string, me: string): boolean {
  const theirs = parseOwner(holder)
  const mine = parseOwner(me)
  if (!theirs || !mine || theirs.host !== mine.host || theirs.pid === mine.pid) return false
  try {
    process.kill(theirs.pid, 0)
    return false
  } catch (error) {
    // EPERM: the pid exists (another user's process): alive as far as we can tell.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function parseOwner(owner: string): { host: string; pid: number } | undefined {
  const match = /^(.*):(\d+):[^:]*$/.exec(owner)
  if (!match) return undefined
  const pid = Number(match[2])
  // 0 and negative pids would signal process groups; never probe those.
  return Number.isSafeInteger(pid) && pid > 0 ? { host: match[1]!, pid } : undefined
}

/**
 * The lease a running cycle holds: taken once, renewed at most every LEASE_RENEW_EVERY_MS however
 * often `renewIfDue` is called, `lost` once a renewal finds another owner, released once.
 */
export class HeldLease {
  readonly #db: Db
  readonly #jobId: string
  readonly #ttlMs: number
  #renewedAt = 0
  #held = false
  lost = false

  constructor(db: Db, jobId: string, ttlMs = DEFAULT_LEASE_TTL_MS) {
    this.#db = db
    this.#jobId = jobId
    this.#ttlMs = ttlMs
  }

  async acquire(): Promise<boolean> {
    this.#held = await acquireLease(this.#db, this.#jobId, { ttlMs: this.#ttlMs })
    this.#renewedAt = Date.now()
    return this.#held
  }

  /** Never throws: a renewal that fails (database briefly away) is retried; the TTL covers the gap. */
  async renewIfDue(now = Date.now()): Promise<void> {
    if (!this.#held || this.lost || now - this.#renewedAt < LEASE_RENEW_EVERY_MS) return
    this.#renewedAt = now
    try {
      if (!(await renewLease(this.#db, this.#jobId, this.#ttlMs))) this.lost = true
    } catch {
      this.#renewedAt = 0
    }
  }

  /** Never throws either: a lease that cannot be deleted simply expires. */
  async release(): Promise<void> {
    if (!this.#held) return
    this.#held = false
    await releaseLease(this.#db, this.#jobId).catch(() => undefined)
  }
}
