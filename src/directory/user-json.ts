import type { RenderableUser } from '../store/users-repository.js'
import { etagOf, renderUser } from './user-record.js'

/**
 * `renderUser(row)` as JSON text, spliced from the stored JSON instead of parsed and serialised
 * again: on GET and on Entra's lookups that round trip costs more than the database read.
 *
 * It relies on the canonical form the directory writes (`JSON.stringify` of a normalised user):
 * the only `manager` is the enterprise one, stored as exactly `{"value":"<id>"}`, and `active`
 * is a top-level boolean that the `active` column mirrors. A quote inside a string value is
 * escaped, so neither pattern can match inside a value. Anything unexpected falls back to
 * renderUser; a test holds both renderings equal.
 */
export function renderUserJson(row: RenderableUser, baseUrl: string, managerName?: string): string {
  let body = row.resource.slice(1, -1)
  if (row.manager_id !== null) {
    const stored = `"manager":{"value":${JSON.stringify(row.manager_id)}}`
    const at = body.indexOf(stored)
    if (at < 0) return JSON.stringify(renderUser(row, baseUrl, managerName))
    const manager = {
      value: row.manager_id,
      $ref: `${baseUrl}/Users/${row.manager_id}`,
      ...(managerName === undefined ? {} : { displayName: managerName }),
    }
    body = `${body.slice(0, at)}"manager":${JSON.stringify(manager)}${body.slice(at + stored.length)}`
  }
  // RFC 7643 leaves an absent `active` undefined; Roster reads it as active, as the column does.
  if (!body.includes('"active":')) body += ',"active":true'
  const meta = {
    resourceType: 'User',
    created: row.created,
    lastModified: row.last_modified,
    location: `${baseUrl}/Users/${row.id}`,
    version: etagOf(row.version),
  }
  return `{"id":${JSON.stringify(row.id)},${body},"meta":${JSON.stringify(meta)}}`
}
