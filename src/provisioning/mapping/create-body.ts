import { ENTERPRISE_USER_SCHEMA } from '../../scim/schema/enterprise-user.js'
import { GROUP_SCHEMA } from '../../scim/schema/group.js'
import { USER_SCHEMA } from '../../scim/schema/user.js'
import type { ResolvedAttributes } from './attribute-mapping.js'
import { selectElement } from './target-path.js'
import { targetPathOf } from './target-paths.js'

type Json = Record<string, unknown>

/**
 * The POST body for a new resource. `schemas` lists the core schema and every extension whose
 * attributes are present (Entra omits custom extension URNs; RFC 7643 §3 wants them listed).
 * References are written in their RFC form: manager `{ value }`, members `[{ value }]`.
 */
export function createBody(attributes: ResolvedAttributes, resourceType: 'User' | 'Group' = 'User'): Json {
  const body: Json = { schemas: [resourceType === 'User' ? USER_SCHEMA : GROUP_SCHEMA] }
  const schemas = body['schemas'] as string[]
  for (const [target, value] of Object.entries(attributes)) {
    if (value === null || (Array.isArray(value) && value.length === 0)) continue
    const path = targetPathOf(target)
    if (path.schema && !schemas.includes(path.schema)) schemas.push(path.schema)
    const container = path.schema ? objectAt(body, path.schema) : body
    let written: unknown = value
    if (path.reference)
      written = Array.isArray(value) ? value.map((id) => ({ value: String(id) })) : { value: String(value) }
    if (path.filter) {
      const list = Array.isArray(container[path.attribute]) ? (container[path.attribute] as Json[]) : []
      container[path.attribute] = list
      let element = selectElement(list, path.filter) as Json | undefined
      if (!element) {
        element = { [path.filter.attribute]: path.filter.value }
        list.push(element)
      }
      element[path.sub ?? 'value'] = written
    } else if (path.sub) {
      objectAt(container, path.attribute)[path.sub] = written
    } else {
      container[path.attribute] = written
    }
  }
  // Keep the enterprise URN right after the core schema, where readers expect it.
  if (schemas.includes(ENTERPRISE_USER_SCHEMA) && schemas[1] !== ENTERPRISE_USER_SCHEMA) {
    schemas.splice(schemas.indexOf(ENTERPRISE_USER_SCHEMA), 1)
    schemas.splice(1, 0, ENTERPRISE_USER_SCHEMA)
  }
  return body
}

function objectAt(parent: Json, key: string): Json {
  const existing = parent[key]
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as Json
  const created: Json = {}
  parent[key] = created
  return created
}
