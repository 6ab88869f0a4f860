import { issueAccessToken, revokeAccessToken } from '../access/access-tokens.js'
import { SCOPES, type Scope } from '../access/scopes.js'
import type { Db } from '../store/database.js'
import {
  type AccessTokenWithCreator,
  findAccessTokenById,
  listAccessTokensWithCreators,
} from '../store/tokens-repository.js'
import { invalidValue, notFound } from './console-error.js'

/** A token as the console shows it: never its secret, its hash or its hint. */
export interface TokenView {
  id: string
  name: string
  description: string
  scopes: string[]
  createdBy: { id: string; displayName: string | null } | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  status: 'active' | 'revoked'
}

export function toTokenView(row: AccessTokenWithCreator): TokenView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scopes: row.scope.split(' ').filter(Boolean),
    createdBy:
      row.created_by_account === null
        ? null
        : { id: row.created_by_account, displayName: row.creator_display_name },
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    status: row.revoked_at === null ? 'active' : 'revoked',
  }
}

export async function listTokens(db: Db, tenantId: string): Promise<TokenView[]> {
  return (await listAccessTokensWithCreators(db, tenantId)).map(toTokenView)
}

async function viewOf(db: Db, tenantId: string, id: string): Promise<TokenView> {
  const row = (await listAccessTokensWithCreators(db, tenantId)).find((token) => token.id === id)
  if (!row) throw notFound(`no token ${id}`)
  return toTokenView(row)
}

export interface TokenInput {
  name: unknown
  description: unknown
  scopes: unknown
}

function checkTokenInput(input: TokenInput): { name: string; description: string; scopes: Scope[] } {
  if (typeof input.name !== 'string') throw invalidValue('name', 'must be a string')
  const name = input.name.trim()
  if (name.length === 0) throw invalidValue('name', 'must not be empty')
  if (name.length > 100) throw invalidValue('name', 'must be at most 100 characters')
  const rawDescription = input.description ?? ''
  if (typeof rawDescription !== 'string') throw invalidValue('description', 'must be a string')
  const description = rawDescription.trim()
  if (description.length > 500) throw invalidValue('description', 'must be at most 500 characters')
  const scopes = input.scopes
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw invalidValue('scopes', `must be a non-empty array of ${SCOPES.map((s) => `"${s}"`).join(', ')}`)
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !(SCOPES as readonly string[]).includes(scope)) {
      throw invalidValue('scopes', `unknown scope ${JSON.stringify(scope)}; use ${SCOPES.join(', ')}`)
    }
  }
  // Stored in a fixed order, whatever order they were sent in.
  return { name, description, scopes: SCOPES.filter((scope) => scopes.includes(scope)) }
}

/** Owners only (checked by the caller). The secret is in the answer once and never again. */
export async function createToken(
  db: Db,
  tenantId: string,
  accountId: string,
  input: TokenInput,
): Promise<{ token: TokenView; secret: string }> {
  const checked = checkTokenInput(input)
  const issued = await issueAccessToken(db, tenantId, { ...checked, createdByAccount: accountId })
  return { token: await viewOf(db, tenantId, issued.id), secret: issued.token }
}

/** Revokes a token of the tenant (a second revoke answers it unchanged). */
export async function revokeToken(db: Db, tenantId: string, id: string): Promise<TokenView> {
  if (!(await findAccessTokenById(db, tenantId, id))) throw notFound(`no token ${id}`)
  await revokeAccessToken(db, tenantId, id, new Date().toISOString())
  return viewOf(db, tenantId, id)
}
