import { getTenantBySlug, type Tenant, TenantError } from '../directory/tenants.js'
import { findConsoleAccountByEmail, recordConsoleLogin } from '../store/console-accounts-repository.js'
import type { Db } from '../store/database.js'
import { type ConsoleAccount, toAccount } from './accounts.js'
import { ConsoleError, invalidValue } from './console-error.js'
import type { LoginThrottle } from './login-throttle.js'
import { decoyHash, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.js'

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw invalidValue(field, 'must be a string')
  if (value.trim() === '') throw invalidValue(field, 'must not be empty')
  if (value.length > max) throw invalidValue(field, `must be at most ${max} characters`)
  return value
}

/**
 * Checks a console login. Unknown tenant, unknown email and wrong password get the same answer,
 * after the same scrypt work, so neither the body nor the timing tells which accounts exist.
 */
export async function checkLogin(
  db: Db,
  throttle: LoginThrottle,
  input: { tenant: unknown; email: unknown; password: unknown },
  address: string,
): Promise<{ account: ConsoleAccount; tenant: Tenant }> {
  const slug = text(input.tenant, 'tenant', 63).trim().toLowerCase()
  const email = text(input.email, 'email', 254).trim()
  const password = text(input.password, 'password', MAX_PASSWORD_LENGTH)
  const wait = throttle.retryAfterSeconds(slug, email, address)
  if (wait > 0) {
    throw new ConsoleError('tooManyRequests', `too many failed logins; retry after ${wait} s`, {
      retryAfter: wait,
    })
  }
  let tenant: Tenant | undefined
  try {
    tenant = await getTenantBySlug(db, slug)
  } catch (error) {
    if (!(error instanceof TenantError)) throw error
  }
  const row = tenant && (await findConsoleAccountByEmail(db, tenant.id, email.toLowerCase()))
  const valid = await verifyPassword(password, row ? row.password_hash : await decoyHash())
  if (!tenant || !row || !valid) {
    throttle.recordFailure(slug, email, address)
    throw new ConsoleError('invalidCredentials', 'the tenant, email or password is not right')
  }
  const now = new Date().toISOString()
  await recordConsoleLogin(db, tenant.id, row.id, now)
  return { account: toAccount({ ...row, last_login_at: now }), tenant }
}
