import { isDeepStrictEqual } from 'node:util'
import { badRequest } from '../errors.js'
import type { Filter, FilterValue } from '../filter/ast.js'
import { coerceAttributeValue, coerceElement, isAbsent } from '../resource/coerce.js'
import { getIgnoreCase, isPlainObject, type Json } from '../resource/json.js'
import { findSubAttribute } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'

/** Helpers for the elements of a multi-valued complex attribute (emails, roles, members…). */

/**
 * A PATCH value for a multi-valued attribute: a single element is wrapped in an array, and a bare
 * string becomes `{value}` (Microsoft's Postman adds a group member as a bare string id).
 */
export function toElementList(value: unknown, attribute: AttributeDefinition): unknown[] {
  const list = Array.isArray(value) ? value : [value]
  const keyed = attribute.type === 'complex' && findSubAttribute(attribute, 'value') !== undefined
  return list.map((element) => (keyed && typeof element === 'string' ? { value: element } : element))
}

export function asElements(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** Reference lists (members, groups) are sets of ids: one element per `value`. */
function keyedByValue(attribute: AttributeDefinition): AttributeDefinition | undefined {
  if (attribute.type !== 'complex' || !findSubAttribute(attribute, '$ref')) return undefined
  return findSubAttribute(attribute, 'value')
}

function sameScalar(left: unknown, right: unknown, definition: AttributeDefinition): boolean {
  if (typeof left === 'string' && typeof right === 'string' && !definition.caseExact) {
    return left.toLowerCase() === right.toLowerCase()
  }
  return left === right
}

function sameElement(left: unknown, right: unknown, attribute: AttributeDefinition): boolean {
  const valueDefinition = keyedByValue(attribute)
  if (valueDefinition && isPlainObject(left) && isPlainObject(right)) {
    return sameScalar(left.value, right.value, valueDefinition)
  }
  return isDeepStrictEqual(left, right)
}

/** `add` on a multi-valued attribute appends, skipping elements already there. */
export function appendElements(
  current: unknown[],
  additions: unknown[],
  attribute: AttributeDefinition,
): unknown[] {
  const result = [...current]
  const added: unknown[] = []
  for (const addition of additions) {
    if (result.some((element) => sameElement(element, addition, attribute))) continue
    result.push(addition)
    added.push(addition)
  }
  clearOtherPrimaries(result, added)
  return result
}

/**
 * Entra's default-mode `{"op":"Remove","path":"members","value":[{"value":"u1"}]}` removes only the
 * listed elements, never the whole list (entra-scim.md §3.5.1, §14 item 4). Elements are matched by
 * `value` when the attribute has one, otherwise as a whole.
 */
export function removeListedElements(
  current: unknown[],
  value: unknown,
  attribute: AttributeDefinition,
  path: string,
): unknown[] {
  const valueDefinition = findSubAttribute(attribute, 'value')
  const listed = toElementList(value, attribute)
  const matchers = listed.map((item, index): ((element: unknown) => boolean) => {
    const raw = isPlainObject(item) ? getIgnoreCase(item, 'value') : undefined
    if (valueDefinition && !isAbsent(raw)) {
      return (element) => isPlainObject(element) && sameScalar(element.value, raw, valueDefinition)
    }
    const coerced = coerceElement(item, attribute, `${path}[${index}]`)
    return (element) => coerced !== undefined && isDeepStrictEqual(element, coerced)
  })
  return current.filter((element) => !matchers.some((matches) => matches(element)))
}

/**
 * RFC 7644 §3.5.2: setting "primary" true on some values sets it false on the others, so a PATCH
 * never leaves two primaries behind.
 */
export function clearOtherPrimaries(elements: unknown[], touched: unknown[]): void {
  if (!touched.some((element) => isPlainObject(element) && element.primary === true)) return
  for (const element of elements) {
    if (isPlainObject(element) && element.primary === true && !touched.includes(element))
      element.primary = false
  }
}

/**
 * The element an upsert creates when `emails[type eq "work"].value` matches nothing: the `eq`
 * clauses of the filter (`{type: "work"}`). Undefined when the filter is not a conjunction of
 * `eq` clauses, since it then does not describe one element.
 */
export function templateFromFilter(
  filter: Filter,
  attribute: AttributeDefinition,
  path: string,
): Json | undefined {
  const clauses = eqClauses(filter)
  if (!clauses) return undefined
  const template: Json = {}
  for (const { name, value } of clauses) {
    const sub = findSubAttribute(attribute, name)
    if (!sub) return undefined
    const coerced = coerceAttributeValue(value, sub, `${path} (filter ${sub.name})`)
    if (coerced !== undefined) template[sub.name] = coerced
  }
  return template
}

function eqClauses(filter: Filter): { name: string; value: FilterValue }[] | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq')
    return [{ name: filter.path.name, value: filter.value }]
  if (filter.kind !== 'and') return undefined
  const left = eqClauses(filter.left)
  const right = eqClauses(filter.right)
  return left && right ? [...left, ...right] : undefined
}

export function noTarget(path: string): never {
  throw badRequest(
    'noTarget',
    `path "${path}": no value matches the filter, and it does not describe a new one`,
  )
}
