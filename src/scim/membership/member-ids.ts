import { badRequest } from '../errors.js'
import { getIgnoreCase, isPlainObject, jsonType } from '../resource/json.js'

/** Longest member id accepted; ids are UUIDs here, and a bound keeps error details and indexes sane. */
const MAX_ID_LENGTH = 256

/**
 * The member ids named by a `members` value, in order and without repeats. Accepts every shape
 * identity providers send: an array of `{"value": id, …}` (Entra adds `"$ref": null`, Postman a
 * `display`), a single such object, a bare id string, or an array of bare ids (Microsoft's Postman
 * "garbage" tests). `display`, `$ref` and `type` from the client are ignored: the directory knows
 * what each id is. null means no members.
 */
export function memberIdsOf(value: unknown, path = 'members'): string[] {
  if (value === null || value === undefined) return []
  const elements = Array.isArray(value) ? value : [value]
  const ids = new Set<string>()
  elements.forEach((element, index) => {
    const where = Array.isArray(value) ? `${path}[${index}]` : path
    const id = isPlainObject(element) ? getIgnoreCase(element, 'value') : element
    if (typeof id !== 'string' || id.trim() === '') {
      const got = isPlainObject(element) ? `"value" ${jsonType(id)}` : jsonType(element)
      throw badRequest(
        'invalidValue',
        `${where}: expected a member {"value": "<user or group id>"} or an id string, got ${got}`,
      )
    }
    if (id.includes('\u0000')) throw badRequest('invalidValue', `${where}.value: contains U+0000 (NUL)`)
    if (id.length > MAX_ID_LENGTH) {
      throw badRequest('invalidValue', `${where}.value: longer than ${MAX_ID_LENGTH} characters`)
    }
    ids.add(id)
  })
  return [...ids]
}
