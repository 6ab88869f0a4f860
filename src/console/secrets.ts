import { createHash, randomBytes } from 'node:crypto'

/**
 * Session ids and setup codes: 256 random bits, base64url. Only their SHA-256 is stored: with that
 * much entropy a fast hash is enough (no slow KDF), and a database leak reveals no usable secret.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** The shape newSecret produces; anything else is refused before it reaches the database. */
export function looksLikeSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value)
}
