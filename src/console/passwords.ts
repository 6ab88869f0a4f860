import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Console passwords, hashed with scrypt (node:crypto, no dependency). Parameters: N = 2^15, r = 8,
 * p = 1 — OWASP's minimum recommendation for scrypt; 32 MiB and roughly 50–100 ms per hash here,
 * slow enough to make offline guessing costly, fast enough for a login. A 16-byte random salt per
 * password; a 32-byte key. The parameters are stored with the hash, so they can be raised later
 * without invalidating existing passwords.
 */
const N = 2 ** 15
const R = 8
const P = 1
const KEY_BYTES = 32
const SALT_BYTES = 16
/** scrypt needs 128·N·r bytes (32 MiB here); Node's default cap is exactly that, so give headroom. */
const MAX_MEMORY = 64 * 1024 * 1024

export const MIN_PASSWORD_LENGTH = 12
/** scrypt reads the whole password; an absurd length would only cost CPU. */
export const MAX_PASSWORD_LENGTH = 1024

function derive(password: string, salt: Buffer, options: ScryptOptions, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, bytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAX_MEMORY }, KEY_BYTES)
  return ['scrypt', Math.log2(N), R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    { N: 2 ** Number(logN), r: Number(r), p: Number(p), maxmem: MAX_MEMORY },
    expected.length,
  )
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A hash of a password nobody knows: a login for an unknown tenant or email verifies against it,
 * so it takes as long as a wrong password and the answer cannot tell the two apart.
 */
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'))
  return decoy
}
