import { type Tenant, toTenant } from '../../directory/tenants.js'
import type { Db } from '../../store/database.js'
import { findTenantById } from '../../store/tenants-repository.js'

/** Tenants change rarely; a short cache keeps a lookup off every request. */
export class TenantCache {
  private readonly entries = new Map<string, { tenant: Tenant; until: number }>()
  private readonly db: Db
  private readonly ttlMs: number

  constructor(db: Db, ttlMs: number) {
    this.db = db
    this.ttlMs = ttlMs
  }

  /** Synchronous on a cache hit, so the hot path waits for no promise. */
  get(id: string): Tenant | undefined | Promise<Tenant | undefined> {
    const now = Date.now()
    const cached = this.entries.get(id)
    if (cached && cached.until > now) return cached.tenant
    return this.load(id, now)
  }

  private async load(id: string, now: number): Promise<Tenant | undefined> {
    const row = await findTenantById(this.db, id)
    if (!row) return undefined
    const tenant = toTenant(row)
    if (this.ttlMs > 0) this.entries.set(id, { tenant, until: now + this.ttlMs })
    return tenant
  }
}
