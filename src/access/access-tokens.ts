import { randomUUID } from 'node:crypto'
import type { Db } from '../store/database.js'
import {
  type AccessTokenRow,
  findAccessTokenByHash,
  insertAccessToken,
  listAccessTokens,
  revokeAccessToken,
  touchAccessToken,
} from '../store/tokens-repository.js'
import type { Scope } from './scopes.js'
import {
  generateTokenSecret,
  hashesEqual,
  hashTokenSecret,
  looksLikeTokenSecret,
  tokenHint,
} from './token-secret.js'

export interface NewAccessToken {
  name: string
  description?: string
  scopes: Scope[]
  /** The console account creating it; the token is revoked when that account loses the right. */
  createdByAccount?: string | null
}

export interface IssuedAccessToken {
  id: string
  /** The secret, returned exactly once; only its hash is stored. */
  token: string
}

export async function issueAccessToken(
  db: Db,
  tenantId: string,
  input: NewAccessToken,
): Promise<IssuedAccessToken> {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 200) throw new TypeError('token name must be 1–200 characters')
  const token = generateTokenSecret()
  const id = randomUUID()
  await insertAccessToken(db, {
    id,
    tenant_id: tenantId,
    name,
    description: (input.description ?? '').trim(),
    scope: input.scopes.join(' '),
    token_hash: hashTokenSecret(token),
    token_hint: tokenHint(token),
    created_at: new Date().toISOString(),
    last_used_at: null,
    revoked_at: null,
    created_by_account: input.createdByAccount ?? null,
  })
  return { id, token }
}

export { listAccessTokens, revokeAccessToken }

export interface Principal {
  tokenId: string
  tenantId: string
  scopes: readonly string[]
}

export type AuthenticationFailure = 'malformed' | 'unknown' | 'revoked'
export type Verification = Principal | AuthenticationFailure

/**
 * Verifies bearer secrets. Verified tokens are cached for `cacheMs`: the delay before a revocation
 * (made by the CLI, another process) takes effect.
 * last_used_at is written at most once a minute per token, so reads stay reads.
 */
export class TokenVerifier {
  /**
   * By the secret's hash, what a lookup found: the row, and the verdict it gives (the same frozen
   * Principal for every request, so the hot path allocates nothing). A hit needs no constant-time
   * comparison: the key is the hash itself, and matching it by Map says nothing of the secret.
   */
  private readonly cache = new Map<string, { row: AccessTokenRow; verdict: Verification; until: number }>()
  private readonly touched = new Map<string, number>()
  /** Bumped by forget(): a lookup that started before it must not cache what it read. */
  private generation = 0

  private readonly db: Db
  private readonly cacheMs: number
  private readonly onError: (error: unknown) => void

  constructor(db: Db, cacheMs: number, onError: (error: unknown) => void = () => {}) {
    this.db = db
    this.cacheMs = cacheMs
    this.onError = onError
  }

  /** Synchronous for a cached token (the hot path: no promise to wait for); a lookup otherwise. */
  verify(secret: string): Verification | Promise<Verification> {
    if (!looksLikeTokenSecret(secret)) return 'malformed'
    const hash = hashTokenSecret(secret)
    const now = Date.now()
    const cached = this.cache.get(hash)
    if (cached && cached.until > now) {
      if (typeof cached.verdict === 'object') this.recordUse(cached.row.id, now)
      return cached.verdict
    }
    return this.lookup(hash, now)
  }

  /**
   * Drops cached verifications of these tokens, so a revocation made in this process takes effect
   * at once (other processes notice within `cacheMs`).
   */
  forget(tokenIds: Iterable<string>): void {
    const ids = new Set(tokenIds)
    if (ids.size === 0) return
    this.generation++
    for (const [hash, entry] of this.cache) if (ids.has(entry.row.id)) this.cache.delete(hash)
  }

  private async lookup(hash: string, now: number): Promise<Verification> {
    const generation = this.generation
    const row = await findAccessTokenByHash(this.db, hash)
    // The database found the row by its hash; compare again, in constant time, before trusting it.
    if (!row || !hashesEqual(row.token_hash, hash)) return 'unknown'
    const verdict: Verification =
      row.revoked_at !== null
        ? 'revoked'
        : Object.freeze({
            tokenId: row.id,
            tenantId: row.tenant_id,
            scopes: Object.freeze(row.scope.split(' ')),
          })
    if (this.cacheMs > 0 && generation === this.generation)
      this.cache.set(hash, { row, verdict, until: now + this.cacheMs })
    if (verdict !== 'revoked') this.recordUse(row.id, now)
    return verdict
  }

  private recordUse(tokenId: string, now: number): void {
    if ((this.touched.get(tokenId) ?? 0) > now - 60_000) return
    this.touched.set(tokenId, now)
    touchAccessToken(this.db, tokenId, new Date(now).toISOString()).catch(this.onError)
  }
}
