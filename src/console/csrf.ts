import { timingSafeEqual } from 'node:crypto'

/**
 * The double-submit check of state-changing requests: the `x-csrf-token` header must equal the
 * session's token. Another site can make the browser send the cookie, but cannot read the token.
 */
export function csrfTokenMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false
  const left = Buffer.from(sent)
  const right = Buffer.from(expected)
  return left.length === right.length && timingSafeEqual(left, right)
}
