import type { AttributePath } from '../filter/ast.js'
import { findAttribute, findSubAttribute, type ResourceDescriptor, resolvePath } from '../schema/registry.js'
import type { AttributeDefinition } from '../schema/types.js'
import { isPlainObject, type Json } from './json.js'
import { findExtension } from './schemas.js'

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) on an output resource. Selections are
 * keyed by lower-cased canonical paths: `name`, `name.givenname`, `urn:…:user:manager.value`, or
 * an extension URN alone (all of its attributes). Unknown names select nothing.
 */
export interface ProjectionOptions {
  attributes?: AttributePath[]
  excludedAttributes?: AttributePath[]
}

type Selection = Set<string>

export function projectResource(
  resource: Json,
  descriptor: ResourceDescriptor,
  options: ProjectionOptions,
): Json {
  const attributes = options.attributes?.length ? selection(options.attributes, descriptor) : undefined
  const excluded = selection(options.excludedAttributes ?? [], descriptor)
  const context = { attributes, excluded }
  const result: Json = {}
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      result[key] = value
      continue
    }
    const extension = findExtension(descriptor, key)
    if (extension && isPlainObject(value)) {
      const prefix = `${extension.id.toLowerCase()}:`
      const whole = {
        attributes: attributes?.has(extension.id.toLowerCase()),
        excluded: excluded.has(extension.id.toLowerCase()),
      }
      const projected: Json = {}
      for (const [name, inner] of Object.entries(value)) {
        const attribute = findAttribute(descriptor, extension.id, name)?.attribute
        const kept = project(inner, attribute, `${prefix}${name.toLowerCase()}`, context, whole)
        if (kept !== undefined) projected[name] = kept
      }
      if (Object.keys(projected).length > 0) result[key] = projected
      continue
    }
    const found = findAttribute(descriptor, undefined, key)
    const attribute = found && !found.extension ? found.attribute : undefined
    const kept = project(value, attribute, key.toLowerCase(), context, {})
    if (kept !== undefined) result[key] = kept
  }
  return result
}

/** Canonical lower-cased keys for a list of paths from the query string. */
function selection(paths: AttributePath[], descriptor: ResourceDescriptor): Selection {
  const keys: Selection = new Set()
  for (const path of paths) {
    const resolved = resolvePath(descriptor, path)
    if (resolved) {
      const prefix = resolved.extension ? `${resolved.schema}:` : ''
      const sub = resolved.sub ? `.${resolved.sub.name}` : ''
      keys.add(`${prefix}${resolved.attribute.name}${sub}`.toLowerCase())
      continue
    }
    // A bare extension URN parses as { uri: 'urn:…:2.0', name: 'User' }.
    const text = path.uri === undefined ? path.name : `${path.uri}:${path.name}`
    const extension = path.sub === undefined ? findExtension(descriptor, text) : undefined
    if (extension) keys.add(extension.id.toLowerCase())
  }
  return keys
}

interface Context {
  attributes: Selection | undefined
  excluded: Selection
}

/** Whether the enclosing extension object was selected or excluded as a whole. */
interface Whole {
  attributes?: boolean | undefined
  excluded?: boolean | undefined
}

function project(
  value: unknown,
  attribute: AttributeDefinition | undefined,
  key: string,
  context: Context,
  whole: Whole,
): unknown {
  // Keys outside the schema are treated as returned "default".
  const returned = attribute?.returned ?? 'default'
  if (returned === 'never') return undefined
  if (returned === 'always') return value
  if (whole.excluded || context.excluded.has(key)) return undefined
  const requested = whole.attributes === true || context.attributes?.has(key) === true
  const requestedSubs = subKeys(context.attributes, key)
  if (context.attributes && !requested && requestedSubs.size === 0) return undefined
  if (!context.attributes && returned === 'request') return undefined
  if (attribute?.type !== 'complex' || !attribute.subAttributes) return value
  const keepSub = (name: string, sub: AttributeDefinition | undefined): boolean => {
    const returnedSub = sub?.returned ?? 'default'
    if (returnedSub === 'never') return false
    if (returnedSub === 'always') return true
    if (context.excluded.has(`${key}.${name}`)) return false
    if (requested || !context.attributes) return returnedSub !== 'request'
    return requestedSubs.has(name)
  }
  return projectComplex(value, attribute, keepSub)
}

function subKeys(selected: Selection | undefined, key: string): Set<string> {
  const subs = new Set<string>()
  for (const entry of selected ?? []) {
    if (entry.startsWith(`${key}.`)) subs.add(entry.slice(key.length + 1))
  }
  return subs
}

function projectComplex(
  value: unknown,
  attribute: AttributeDefinition,
  keepSub: (name: string, sub: AttributeDefinition | undefined) => boolean,
): unknown {
  const projectOne = (element: unknown): unknown => {
    if (!isPlainObject(element)) return element
    const kept: Json = {}
    for (const [name, inner] of Object.entries(element)) {
      const sub = findSubAttribute(attribute, name)
      if (keepSub((sub?.name ?? name).toLowerCase(), sub)) kept[name] = inner
    }
    return Object.keys(kept).length > 0 ? kept : undefined
  }
  if (!Array.isArray(value)) return projectOne(value)
  const elements = value.map(projectOne).filter((element) => element !== undefined)
  return elements.length > 0 ? elements : undefined
}
