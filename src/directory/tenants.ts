import { randomUUID } from 'node:crypto'
import type { Db } from '../store/database.js'
import { isUniqueViolation } from '../store/errors.js'
import { findTenantBySlug, insertTenant, listTenants, type TenantRow } from '../store/tenants-repository.js'
import { type HrRules, parseHrRules } from './hr-rules.js'

export interface Tenant {
  id: string
  slug: string
  name: string
  rules: HrRules
  createdAt: string
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export class TenantError extends Error {
  override name = 'TenantError'
}

export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    rules: parseHrRules(row.rules),
    createdAt: row.created_at,
  }
}

export async function createTenant(
  db: Db,
  input: { slug: string; name?: string; rules?: HrRules },
): Promise<Tenant> {
  if (!SLUG.test(input.slug)) {
    throw new TenantError(`tenant slug "${input.slug}" must be 1–63 lower-case letters, digits or dashes`)
  }
  const row: TenantRow = {
    id: randomUUID(),
    slug: input.slug,
    name: input.name?.trim() || input.slug,
    rules: input.rules ?? 'alexis',
    created_at: new Date().toISOString(),
  }
  try {
    await insertTenant(db, row)
  } catch (error) {
    if (isUniqueViolation(error)) throw new TenantError(`tenant "${input.slug}" already exists`)
    throw error
  }
  return toTenant(row)
}

export async function getTenantBySlug(db: Db, slug: string): Promise<Tenant> {
  const row = await findTenantBySlug(db, slug)
  if (!row) throw new TenantError(`no tenant "${slug}"`)
  return toTenant(row)
}

export async function allTenants(db: Db): Promise<Tenant[]> {
  return (await listTenants(db)).map(toTenant)
}
