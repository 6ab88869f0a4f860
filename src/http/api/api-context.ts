import type { TokenVerifier } from '../../access/access-tokens.js'
import type { FixedWindowLimiter } from '../../access/fixed-window-limiter.js'
import type { ConsoleAccount } from '../../console/accounts.js'
import type { LoginThrottle } from '../../console/login-throttle.js'
import type { Role } from '../../console/roles.js'
import type { Tenant } from '../../directory/tenants.js'
import type { Db } from '../../store/database.js'
import type { SqlDialect } from '../../store/dialects/sql-dialect.js'
import type { Links } from '../links.js'
import type { TenantCache } from '../scim/tenant-cache.js'

/** What the admin API's routes share. */
export interface ApiOptions {
  db: Db
  dialect: SqlDialect
  verifier: TokenVerifier
  tenants: TenantCache
  /** Failed bearer authentications per client address, shared with SCIM. */
  failures: FixedWindowLimiter
  throttle: LoginThrottle
  links: Links
  sessionIdleMinutes: number
  setupLinkDays: number
}

/** Who calls: a signed-in console account, or an access token with the `api` scope (read-only). */
export type ApiCaller =
  | {
      kind: 'session'
      tenant: Tenant
      role: Role
      account: ConsoleAccount
      csrfToken: string
      sessionId: string
    }
  | { kind: 'token'; tenant: Tenant; role: 'viewer'; tokenId: string }

/** Who may call a route: anyone (setup, login), or a caller with at least this role. */
export type Access = 'public' | Role

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    caller: ApiCaller
  }
}

export const SESSION_COOKIE = 'roster_session'

/** The public base URL (PUBLIC_URL, or the bound address), derived from the SCIM base URL. */
export function publicUrlOf(links: Links): string {
  return links.scimBaseUrl.replace(/\/scim\/v2$/, '')
}
