import { badRequest } from '../errors.js'
import type { Filter } from '../filter/ast.js'
import { parsePatchPath } from '../filter/parse-path.js'
import { fail, ok, type ParseResult } from '../filter/result.js'
import { isPlainObject, type Json } from '../resource/json.js'
import { findExtension } from '../resource/schemas.js'
import { findAttribute, findSubAttribute, type ResourceDescriptor } from '../schema/registry.js'
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.js'

/** What a PATCH `path` designates, resolved against the resource type's schemas. */
export type PatchTarget =
  | AttributeTarget
  /** The extension URN alone: its value is an object of extension attributes. */
  | { kind: 'extension'; schema: SchemaDefinition; text: string }
  /** writeOnly attributes (password): accepted and dropped, we never store them. */
  | { kind: 'ignored'; text: string }

export interface AttributeTarget {
  kind: 'attribute'
  /** The extension URN the attribute lives under, undefined for core and common attributes. */
  schema: string | undefined
  attribute: AttributeDefinition
  filter?: Filter
  sub?: AttributeDefinition
  /** The path as the client wrote it, for error details. */
  text: string
}

function invalidPath(text: string, message: string): ParseResult<never> {
  return fail(badRequest('invalidPath', `path "${text}": ${message}`))
}

/**
 * Resolved paths, per resource type. Identity providers send the same few paths over and over
 * (Entra: one per mapped attribute), and parsing one costs more than applying it. Only successes
 * are kept, for short paths, and the cache is emptied when full. Targets are shared: never modify
 * one.
 */
const resolvedTargets = new WeakMap<ResourceDescriptor, Map<string, ParseResult<PatchTarget>>>()
const MAX_CACHED_TARGETS = 1000
const MAX_CACHED_PATH_LENGTH = 200

/** Errors are values so a path-less value can skip unknown keys while an explicit path fails. */
export function resolvePatchTarget(text: string, descriptor: ResourceDescriptor): ParseResult<PatchTarget> {
  let cache = resolvedTargets.get(descriptor)
  if (!cache) {
    cache = new Map()
    resolvedTargets.set(descriptor, cache)
  }
  const cached = cache.get(text)
  if (cached) return cached
  const resolved = resolveTarget(text, descriptor)
  if (resolved.ok && text.length <= MAX_CACHED_PATH_LENGTH) {
    if (cache.size >= MAX_CACHED_TARGETS) cache.clear()
    cache.set(text, resolved)
  }
  return resolved
}

function resolveTarget(text: string, descriptor: ResourceDescriptor): ParseResult<PatchTarget> {
  const parsed = parsePatchPath(text)
  if (!parsed.ok) return parsed
  const { path, filter } = parsed.value
  if (path.uri !== undefined && path.sub === undefined && !filter) {
    // A bare extension URN parses as { uri: 'urn:…:2.0', name: 'User' }.
    const extension = findExtension(descriptor, `${path.uri}:${path.name}`)
    if (extension) return ok({ kind: 'extension', schema: extension, text })
  }
  const found = findAttribute(descriptor, path.uri, path.name)
  if (!found) return invalidPath(text, `unknown attribute "${path.uri ? `${path.uri}:` : ''}${path.name}"`)
  const { attribute } = found
  if (filter && path.sub !== undefined)
    return invalidPath(text, 'a sub-attribute must follow the value filter')
  const subName = filter ? parsed.value.sub : path.sub
  const sub = subName === undefined ? undefined : findSubAttribute(attribute, subName)
  if (subName !== undefined && !sub)
    return invalidPath(text, `unknown sub-attribute "${subName}" of ${attribute.name}`)
  if (filter) {
    // Single-valued complex is allowed too: Entra removes `manager[value eq "id"]` (entra-scim.md §3.5.4).
    if (attribute.type !== 'complex') return invalidPath(text, `${attribute.name} is not multi-valued`)
    const unknown = unknownFilterAttribute(filter, attribute)
    if (unknown !== undefined) return invalidPath(text, `unknown attribute "${unknown}" in value filter`)
  }
  if (attribute.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    return fail(badRequest('mutability', `path "${text}": attribute is readOnly`))
  }
  if (attribute.mutability === 'writeOnly' || sub?.mutability === 'writeOnly')
    return ok({ kind: 'ignored', text })
  const target: AttributeTarget = {
    kind: 'attribute',
    schema: found.extension ? found.schema : undefined,
    attribute,
    text,
  }
  if (filter) target.filter = filter
  if (sub) target.sub = sub
  return ok(target)
}

/** Paths inside a value filter are relative to an element: plain sub-attribute names only. */
function unknownFilterAttribute(filter: Filter, parent: AttributeDefinition): string | undefined {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return unknownFilterAttribute(filter.left, parent) ?? unknownFilterAttribute(filter.right, parent)
    case 'not':
      return unknownFilterAttribute(filter.filter, parent)
    case 'valuePath':
      return filter.path.name
    default: {
      const { path } = filter
      const known = path.uri === undefined && path.sub === undefined && findSubAttribute(parent, path.name)
      return known
        ? undefined
        : [path.uri, path.name].filter(Boolean).join(':') + (path.sub ? `.${path.sub}` : '')
    }
  }
}

/** The JSON object holding the target attribute: the resource, or its extension object. */
function container(resource: Json, target: AttributeTarget, create: boolean): Json | undefined {
  if (target.schema === undefined) return resource
  const existing = resource[target.schema]
  if (isPlainObject(existing)) return existing
  if (!create) return undefined
  const created: Json = {}
  resource[target.schema] = created
  return created
}

export function readTarget(resource: Json, target: AttributeTarget): unknown {
  return container(resource, target, false)?.[target.attribute.name]
}

/** Sets the attribute; undefined removes it (and an extension object left empty). */
export function writeTarget(resource: Json, target: AttributeTarget, value: unknown): void {
  if (value === undefined) {
    const holder = container(resource, target, false)
    if (!holder) return
    delete holder[target.attribute.name]
    if (target.schema !== undefined && Object.keys(holder).length === 0) delete resource[target.schema]
    return
  }
  container(resource, target, true)![target.attribute.name] = value
}
