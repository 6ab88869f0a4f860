import { hash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Access-token secrets: 256 random bits, base64url, behind a recognisable prefix so secret
 * scanners and people can tell a Roster token at a glance (like GitHub's `ghp_`).
 */
export const TOKEN_PREFIX = 'rst_'
const SECRET_BYTES = 32
const TOKEN_PATTERN = /^rst_[A-Za-z0-9_-]{43}$/

export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url')
}

/** Cheap shape check so garbage never reaches the database. */
export function looksLikeTokenSecret(value: string): boolean {
  return TOKEN_PATTERN.test(value)
}

/**
 * SHA-256 is right here: the secret has 256 bits of entropy, so no slow KDF is needed. One-shot
 * `hash` (Node.js 20.12+): every SCIM request hashes its token, and a Hash object costs 3× more.
 */
export function hashTokenSecret(secret: string): string {
  return hash('sha256', secret, 'hex')
}

export function tokenHint(secret: string): string {
  return `${secret.slice(0, TOKEN_PREFIX.length + 4)}…`
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}
