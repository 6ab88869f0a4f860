import {
  deleteConsoleSession,
  deleteExpiredSessions,
  findLiveSession,
  insertConsoleSession,
  type SessionWithAccount,
  touchConsoleSession,
} from '../store/console-sessions-repository.js'
import type { Db } from '../store/database.js'
import { hashSecret, looksLikeSecret, newSecret } from './secrets.js'

const MINUTE_MS = 60_000
/** last_seen_at is written at most this often per session, so reads stay reads. */
const TOUCH_EVERY_MS = MINUTE_MS

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  id: string
  csrfToken: string
}

/**
 * A new session for a login or setup. Always a fresh random id: a cookie the browser held before
 * (perhaps planted by an attacker) is never promoted to a signed-in session.
 */
export async function startSession(
  db: Db,
  tenantId: string,
  accountId: string,
  idleMinutes: number,
): Promise<NewSession> {
  const id = newSecret()
  const csrfToken = newSecret()
  const now = Date.now()
  await insertConsoleSession(db, {
    id_hash: hashSecret(id),
    tenant_id: tenantId,
    account_id: accountId,
    csrf_token: csrfToken,
    created_at: new Date(now).toISOString(),
    last_seen_at: new Date(now).toISOString(),
    expires_at: new Date(now + idleMinutes * MINUTE_MS).toISOString(),
  })
  // Housekeeping on sign-in (rare), not on every request.
  await deleteExpiredSessions(db, new Date(now).toISOString())
  return { id, csrfToken }
}

/** The live session behind a cookie value, its idle deadline moved forward; undefined if none. */
export async function resumeSession(
  db: Db,
  id: string,
  idleMinutes: number,
): Promise<SessionWithAccount | undefined> {
  if (!looksLikeSecret(id)) return undefined
  const now = Date.now()
  const found = await findLiveSession(db, hashSecret(id), new Date(now).toISOString())
  if (!found) return undefined
  if (Date.parse(found.session.last_seen_at) <= now - TOUCH_EVERY_MS) {
    await touchConsoleSession(
      db,
      found.session.id_hash,
      new Date(now).toISOString(),
      new Date(now + idleMinutes * MINUTE_MS).toISOString(),
    )
  }
  return found
}

export async function endSession(db: Db, id: string): Promise<void> {
  if (looksLikeSecret(id)) await deleteConsoleSession(db, hashSecret(id))
}
