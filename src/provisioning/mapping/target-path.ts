import type { AttributePath, Filter } from '../../scim/filter/ast.js'
import { parsePatchPath } from '../../scim/filter/parse-path.js'
import { ENTERPRISE_USER_SCHEMA } from '../../scim/schema/enterprise-user.js'
import { GROUP_SCHEMA } from '../../scim/schema/group.js'
import { groupResource, resolvePath, userResource } from '../../scim/schema/registry.js'
import type { AttributeType } from '../../scim/schema/types.js'
import { USER_SCHEMA } from '../../scim/schema/user.js'

/**
 * A mapping's target path, in the shapes Entra writes: `attr`, `attr.sub`, `urn:…:attr` and
 * `attr[type eq "work"].sub`. Parsed with the SCIM core's PATCH-path parser, then narrowed to
 * those shapes so reading, writing and diffing stay simple and exact.
 */
export interface TargetPath {
  text: string
  /** Extension URN holding the attribute (`urn:…:enterprise:2.0:User`); undefined for core ones. */
  schema?: string
  attribute: string
  sub?: string
  /** The selector of a filtered multi-valued path: `type eq "work"`. */
  filter?: { attribute: string; value: string }
  /** Type from the schema registry, when the attribute is known there. */
  type?: AttributeType
  /** A multi-valued simple attribute takes an array; unknown attributes are single-valued, as Entra requires of custom extension attributes. */
  multiValued: boolean
  /** Manager and group members hold references (ids of other resources). */
  reference: boolean
}

const CORE_SCHEMAS = new Set([USER_SCHEMA.toLowerCase(), GROUP_SCHEMA.toLowerCase()])

export function parseTargetPath(
  text: string,
): { ok: true; value: TargetPath } | { ok: false; message: string } {
  const parsed = parsePatchPath(text)
  if (!parsed.ok) return { ok: false, message: parsed.error.message }
  const { path, filter, sub } = parsed.value
  const schema = path.uri && !CORE_SCHEMAS.has(path.uri.toLowerCase()) ? path.uri : undefined
  const target: TargetPath = { text, attribute: path.name, reference: false, multiValued: false }
  if (schema) target.schema = schema
  if (filter) {
    const selector = selectorOf(filter)
    if (!selector)
      return { ok: false, message: `${text}: only a filter of the form [type eq "value"] is supported` }
    target.filter = selector
    target.sub = sub ?? 'value'
  } else if (path.sub !== undefined) target.sub = path.sub
  if (target.attribute.toLowerCase() === 'id' && !schema)
    return { ok: false, message: 'the target id is assigned by the SCIM service and cannot be mapped' }
  const lookup: AttributePath = { name: path.name }
  if (path.uri) lookup.uri = path.uri
  if (target.sub) lookup.sub = target.sub
  const resolved = resolvePath(userResource, lookup) ?? resolvePath(groupResource, lookup)
  if (resolved) {
    const definition = resolved.sub ?? resolved.attribute
    target.type = definition.type
    target.multiValued = definition.multiValued && definition.type !== 'complex' && !target.filter
    // Entra writes the enterprise manager without its URN at times (`manager`); keep it under the URN.
    if (resolved.extension && !target.schema && resolved.schema) target.schema = resolved.schema
  }
  const name = target.attribute.toLowerCase()
  target.reference =
    (name === 'manager' && target.schema === ENTERPRISE_USER_SCHEMA && target.sub === undefined) ||
    (name === 'members' && !target.schema && target.sub === undefined && !target.filter)
  return { ok: true, value: target }
}

function selectorOf(filter: Filter): TargetPath['filter'] | undefined {
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined
  if (filter.path.uri || filter.path.sub) return undefined
  return { attribute: filter.path.name, value: filter.value }
}

/** The path as a SCIM filter/PATCH attribute: `urn:…:User:department` or `name.givenName`. */
export function attributeText(path: TargetPath): string {
  const base = path.schema ? `${path.schema}:${path.attribute}` : path.attribute
  return path.sub && !path.filter ? `${base}.${path.sub}` : base
}

function getKey(object: unknown, key: string): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined
  const record = object as Record<string, unknown>
  if (Object.hasOwn(record, key)) return record[key]
  // SCIM attribute names are case-insensitive (RFC 7643 §2.1).
  const lower = key.toLowerCase()
  const found = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower)
  return found === undefined ? undefined : record[found]
}

/** The element of a multi-valued attribute that a `[type eq "work"]` selector picks. */
export function selectElement(list: unknown, filter: NonNullable<TargetPath['filter']>): unknown {
  if (!Array.isArray(list)) return undefined
  const wanted = filter.value.toLowerCase()
  return list.find((element) => {
    const value = getKey(element, filter.attribute)
    return typeof value === 'string' && value.toLowerCase() === wanted
  })
}

/** Reads the current value at a target path from a SCIM resource (undefined when absent). */
export function readTarget(resource: Readonly<Record<string, unknown>>, path: TargetPath): unknown {
  const container = path.schema ? getKey(resource, path.schema) : resource
  const value = getKey(container, path.attribute)
  if (path.filter) return getKey(selectElement(value, path.filter), path.sub ?? 'value')
  return path.sub === undefined ? value : getKey(value, path.sub)
}
