import { ScimError } from '../scim/errors.js'
import { etagOf } from './user-record.js'

/**
 * Honours `If-Match` when a client sends it (RFC 7644 §3.14): 412 unless one of the listed tags, or
 * `*`, matches the resource's current version. Entra never sends it, so it is never required.
 */
export function checkIfMatch(version: number, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return
  const tags = ifMatch.split(',').map((tag) => tag.trim())
  if (tags.includes('*') || tags.includes(etagOf(version))) return
  throw new ScimError(
    412,
    undefined,
    `If-Match ${ifMatch} does not match the current version ${etagOf(version)}`,
  )
}
