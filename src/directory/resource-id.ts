import { randomFillSync } from 'node:crypto'

/**
 * A new resource id: a UUIDv7 (RFC 9562 §5.7) — 48 bits of Unix milliseconds, then random bits.
 * Ids that grow with time land at the end of every index keyed by id instead of at random pages,
 * which keeps each write's set of dirty pages small (SQLite copies them all into the WAL on
 * commit). SCIM ids are opaque to clients, and meta.created already tells the creation time.
 */
export function newResourceId(now = Date.now()): string {
  const bytes = randomFillSync(Buffer.alloc(16))
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
