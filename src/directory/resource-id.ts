import { randomFillSync } from 'node:crypto'

/** Random bytes drawn 10 ids at a time: one randomFillSync per id cost more than the rest of it. */
const POOL_BYTES = 160
const pool = Buffer.alloc(POOL_BYTES)
let poolOffset = POOL_BYTES

/** Lower-case hex of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/**
 * A new resource id: a UUIDv7 (RFC 9562 §5.7) — 48 bits of Unix milliseconds, then random bits.
 * Ids that grow with time land at the end of every index keyed by id instead of at random pages,
 * which keeps each write's set of dirty pages small (SQLite copies them all into the WAL on
 * commit). SCIM ids are opaque to clients, and meta.created already tells the creation time.
 */
export function newResourceId(now = Date.now()): string {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool)
    poolOffset = 0
  }
  // Each id takes fresh bytes of the pool (never reused); bytes 0–5 are replaced by the time.
  const bytes = pool.subarray(poolOffset, poolOffset + 16)
  poolOffset += 16
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  let hex = ''
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) hex += '-'
    hex += HEX[bytes[i]!]
  }
  return hex
}
