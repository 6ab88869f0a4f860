import { randomUUID } from 'node:crypto'
import type { Tenant } from '../directory/tenants.js'
import { toTenant } from '../directory/tenants.js'
import { insertConsoleAccount } from '../store/console-accounts-repository.js'
import type { Db } from '../store/database.js'
import { isUniqueViolation } from '../store/errors.js'
import {
  claimSetupLink,
  findSetupLink,
  insertSetupLink,
  type SetupLinkRow,
} from '../store/setup-links-repository.js'
import { findTenantById } from '../store/tenants-repository.js'
import { type ConsoleAccount, toAccount } from './accounts.js'
import { ConsoleError, conflict, invalidValue, notFound } from './console-error.js'
import { checkDisplayName, checkEmail, checkNewPassword } from './fields.js'
import { hashPassword } from './passwords.js'
import type { Role } from './roles.js'
import { hashSecret, looksLikeSecret, newSecret } from './secrets.js'

const DAY_MS = 86_400_000

/**
 * The link a person opens to create their console account. The code travels in the fragment, so
 * browsers never send it to a server (no access logs, no Referer).
 */
export function setupUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/setup#${code}`
}

/** Issues a one-time setup link for `role` (and, for an invitation, the invitee's email). */
export async function issueSetupLink(
  db: Db,
  tenantId: string,
  input: { role: Role; email?: string | null; days: number },
): Promise<{ code: string; expiresAt: string }> {
  const code = newSecret()
  const now = Date.now()
  const expiresAt = new Date(now + input.days * DAY_MS).toISOString()
  await insertSetupLink(db, {
    code_hash: hashSecret(code),
    tenant_id: tenantId,
    role: input.role,
    email: input.email ?? null,
    created_at: new Date(now).toISOString(),
    expires_at: expiresAt,
    used_at: null,
  })
  return { code, expiresAt }
}

export interface OpenSetupLink {
  link: SetupLinkRow
  tenant: Tenant
}

/** The link behind `code`: 404 when there is none, 410 when it was used or has expired. */
export async function openSetupLink(db: Db, code: string): Promise<OpenSetupLink> {
  const link = looksLikeSecret(code) ? await findSetupLink(db, hashSecret(code)) : undefined
  const tenantRow = link && (await findTenantById(db, link.tenant_id))
  if (!link || !tenantRow) throw notFound('no such setup link')
  if (link.used_at !== null) throw new ConsoleError('gone', 'this setup link has been used already')
  if (link.expires_at <= new Date().toISOString())
    throw new ConsoleError('gone', 'this setup link has expired')
  return { link, tenant: toTenant(tenantRow) }
}

export interface AccountInput {
  code: unknown
  email: unknown
  displayName: unknown
  password: unknown
}

/**
 * Creates the account a setup link was issued for and uses the link up, in one transaction: of two
 * requests with the same code, one gets the account and the other 410.
 */
export async function redeemSetupLink(
  db: Db,
  input: AccountInput,
): Promise<{ account: ConsoleAccount; tenant: Tenant }> {
  if (typeof input.code !== 'string' || input.code === '')
    throw invalidValue('code', 'must be a non-empty string')
  const { link, tenant } = await openSetupLink(db, input.code)
  const email =
    link.email !== null && (input.email === undefined || input.email === null)
      ? link.email
      : checkEmail(input.email)
  if (link.email !== null && email.toLowerCase() !== link.email.toLowerCase()) {
    throw invalidValue('email', 'must be the address this invitation was sent to')
  }
  const displayName = checkDisplayName(input.displayName)
  const password = checkNewPassword(input.password)
  // Slow on purpose (scrypt): done before the transaction, which then stays short.
  const passwordHash = await hashPassword(password)
  const now = new Date().toISOString()
  const row = {
    id: randomUUID(),
    tenant_id: tenant.id,
    email,
    email_lower: email.toLowerCase(),
    display_name: displayName,
    role: link.role,
    password_hash: passwordHash,
    created_at: now,
    last_login_at: now,
  }
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await claimSetupLink(trx, link.code_hash, now))) {
        throw new ConsoleError('gone', 'this setup link has been used already')
      }
      await insertConsoleAccount(trx, row)
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`an account with email ${email} exists already`)
    throw error
  }
  return { account: toAccount(row), tenant }
}

/** A new owner setup link for a tenant (its first owner, or recovery when every owner is locked out). */
export async function issueOwnerSetupUrl(
  db: Db,
  tenantId: string,
  publicUrl: string,
  days: number,
): Promise<{ setupUrl: string; expiresAt: string }> {
  const { code, expiresAt } = await issueSetupLink(db, tenantId, { role: 'owner', days })
  return { setupUrl: setupUrl(publicUrl, code), expiresAt }
}
