import { attr } from '../schema/define.js'
import { findSubAttribute, type ResourceDescriptor, resolvePath } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.js'

/**
 * In-memory filter evaluation (RFC 7644 §3.4.2.2) over canonical resource JSON. Unknown attributes
 * never match (the HTTP layer rejects them first); an absent attribute fails every operator except
 * `ne` (absent is "not equal") and `eq null`.
 */

type Json = Record<string, unknown>

/** An attribute a path selects: the definition governing comparison and its raw JSON value(s). */
interface Target {
  definition: AttributeDefinition
  value: unknown
}

type Lookup = (path: AttributePath) => Target | undefined

/** `schemas` is not a schema attribute but is filterable (`schemas eq "urn:…"`). */
const SCHEMAS = attr('schemas', 'reference', 'The schemas of the resource.', { multiValued: true })

export function evaluateFilter(
  filter: Filter,
  resource: Record<string, unknown>,
  descriptor: ResourceDescriptor,
): boolean {
  return evaluate(filter, (path) => resourceTarget(resource, descriptor, path))
}

/** Evaluates a value filter (the inside of `emails[...]`) against one element of `parent`. */
export function evaluateElementFilter(
  filter: Filter,
  element: Record<string, unknown>,
  parent: AttributeDefinition,
): boolean {
  return evaluate(filter, (path) => elementTarget(element, parent, path))
}

function evaluate(filter: Filter, lookup: Lookup): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, lookup) && evaluate(filter.right, lookup)
    case 'or':
      return evaluate(filter.left, lookup) || evaluate(filter.right, lookup)
    case 'not':
      return !evaluate(filter.filter, lookup)
    case 'present': {
      const target = lookup(filter.path)
      return target !== undefined && isPresent(target.value)
    }
    case 'compare': {
      const target = lookup(filter.path)
      return target !== undefined && compareTarget(target, filter.op, filter.value)
    }
    case 'valuePath': {
      const target = lookup(filter.path)
      if (target?.definition.type !== 'complex') return false
      const parent = target.definition
      return toArray(target.value).some(
        (element) => isObject(element) && evaluateElementFilter(filter.filter, element, parent),
      )
    }
  }
}

function resourceTarget(
  resource: Json,
  descriptor: ResourceDescriptor,
  path: AttributePath,
): Target | undefined {
  const resolved = resolvePath(descriptor, path)
  if (!resolved) {
    const isSchemas =
      path.uri === undefined && path.sub === undefined && path.name.toLowerCase() === 'schemas'
    return isSchemas ? { definition: SCHEMAS, value: getProp(resource, 'schemas') } : undefined
  }
  const container = resolved.extension && resolved.schema ? getProp(resource, resolved.schema) : resource
  const value = isObject(container) ? getProp(container, resolved.attribute.name) : undefined
  if (!resolved.sub) return { definition: resolved.attribute, value }
  const subName = resolved.sub.name
  // `emails.type` selects the sub-attribute of every element; a filter matches if any element does.
  const subValues = toArray(value).map((element) =>
    isObject(element) ? getProp(element, subName) : undefined,
  )
  return { definition: resolved.sub, value: resolved.attribute.multiValued ? subValues : subValues[0] }
}

function elementTarget(element: Json, parent: AttributeDefinition, path: AttributePath): Target | undefined {
  if (path.uri !== undefined || path.sub !== undefined) return undefined
  const definition = findSubAttribute(parent, path.name)
  return definition && { definition, value: getProp(element, definition.name) }
}

function compareTarget(target: Target, op: CompareOperator, expected: FilterValue): boolean {
  let { definition, value } = target
  // A comparison on a complex attribute without a sub-attribute (`emails co "x"`, `manager eq "id"`)
  // compares its `value` sub-attribute.
  if (definition.type === 'complex') {
    const valueDefinition = findSubAttribute(definition, 'value')
    if (!valueDefinition) return false
    value = toArray(value).map((element) => (isObject(element) ? getProp(element, 'value') : undefined))
    definition = valueDefinition
  }
  if (expected === null) {
    if (op === 'eq') return !isPresent(value)
    if (op === 'ne') return isPresent(value)
    return false
  }
  const values = toArray(value).filter((item) => item !== undefined && item !== null)
  if (values.length === 0) return op === 'ne'
  return values.some((actual) => compareOne(actual, op, expected, definition))
}

function compareOne(
  actual: unknown,
  op: CompareOperator,
  expected: string | number | boolean,
  definition: AttributeDefinition,
): boolean {
  switch (definition.type) {
    case 'boolean': {
      // Entra sends `roles[primary eq "True"]`: booleans written as strings still compare as booleans.
      const left = toBoolean(actual)
      const right = toBoolean(expected)
      if (left === undefined || right === undefined) return false
      return op === 'eq' ? left === right : op === 'ne' ? left !== right : false
    }
    case 'integer':
    case 'decimal': {
      const left = toNumber(actual)
      const right = toNumber(expected)
      return left !== undefined && right !== undefined && ordered(op, Math.sign(left - right))
    }
    case 'dateTime': {
      const left = typeof actual === 'string' ? Date.parse(actual) : Number.NaN
      const right = typeof expected === 'string' ? Date.parse(expected) : Number.NaN
      if (!Number.isNaN(left) && !Number.isNaN(right) && op !== 'co' && op !== 'sw' && op !== 'ew') {
        return ordered(op, Math.sign(left - right))
      }
      return compareStrings(actual, op, expected, true)
    }
    case 'complex':
      return false
    default:
      return compareStrings(actual, op, expected, definition.caseExact)
  }
}

function compareStrings(
  actual: unknown,
  op: CompareOperator,
  expected: string | number | boolean,
  caseExact: boolean,
): boolean {
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false
  const left = caseExact ? String(actual) : String(actual).toLowerCase()
  const right = caseExact ? String(expected) : String(expected).toLowerCase()
  switch (op) {
    case 'co':
      return left.includes(right)
    case 'sw':
      return left.startsWith(right)
    case 'ew':
      return left.endsWith(right)
    default:
      return ordered(op, left < right ? -1 : left > right ? 1 : 0)
  }
}

/** eq/ne/gt/ge/lt/le from a comparison sign; co/sw/ew never apply here. */
function ordered(op: CompareOperator, sign: number): boolean {
  switch (op) {
    case 'eq':
      return sign === 0
    case 'ne':
      return sign !== 0
    case 'gt':
      return sign > 0
    case 'ge':
      return sign >= 0
    case 'lt':
      return sign < 0
    case 'le':
      return sign <= 0
    default:
      return false
  }
}

/** RFC 7644 `pr`: not null, not an empty string, array or object. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return value.length > 0
  if (Array.isArray(value)) return value.some(isPresent)
  if (isObject(value)) return Object.values(value).some(isPresent)
  return true
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

function toNumber(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN
  return Number.isFinite(number) ? number : undefined
}

function toArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  return value === undefined ? [] : [value]
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Canonical JSON uses canonical names, but clients' PATCH values may not: look up case-insensitively. */
function getProp(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name]
  const wanted = name.toLowerCase()
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted)
  return key === undefined ? undefined : object[key]
}
