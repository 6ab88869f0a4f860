/**
 * Deterministic randomness for generated directories: the same seed gives the same draws on every
 * platform and Node version, which crypto and Math.random cannot promise.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for test data, and the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A version-4-shaped UUID (what Entra object ids look like), drawn from the seeded PRNG. */
export function uuid(random: () => number): string {
  const a = hex32(random())
  const b = hex32(random())
  const c = hex32(random())
  const d = hex32(random())
  const variant = ((Number.parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16)
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Eight hex digits from a PRNG draw, byte by byte: Number#toString(16) is slow above 2^31. */
function hex32(r: number): string {
  const word = (r * 4_294_967_296) >>> 0
  return (
    HEX_BYTES[word >>> 24]! +
    HEX_BYTES[(word >>> 16) & 0xff]! +
    HEX_BYTES[(word >>> 8) & 0xff]! +
    HEX_BYTES[word & 0xff]!
  )
}

export function pick<T>(list: readonly T[], r: number): T {
  return list[Math.floor(r * list.length)]!
}

export function pickWeighted(list: readonly { weight: number }[], r: number): number {
  const sum = list.reduce((total, item) => total + item.weight, 0)
  let at = r * sum
  for (let i = 0; i < list.length; i++) {
    at -= list[i]!.weight
    if (at < 0) return i
  }
  return list.length - 1
}
