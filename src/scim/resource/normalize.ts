import { badRequest } from '../errors.js'
import { findAttribute, type ResourceDescriptor } from '../schema/registry.js'
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.js'
import { coerceAttributeValue, invalidValue, isAbsent, isWritable } from './coerce.js'
import { isPlainObject, type Json, jsonType } from './json.js'
import { canonicalSchemas, findExtension } from './schemas.js'

/**
 * Turns a POST/PUT body into the canonical resource the store keeps (see the module doc of
 * coerce.ts): canonical attribute names, no readOnly or writeOnly attributes, absent = no key.
 * Lenient where Entra and Microsoft's test tools need it: unknown attributes and schemas are
 * ignored (entra-scim.md §14 items 13–14), names match case-insensitively, "True" is a boolean.
 */
export function normalizeResource(input: unknown, descriptor: ResourceDescriptor): Json {
  if (!isPlainObject(input)) {
    throw badRequest('invalidSyntax', `the request body must be a JSON object, got ${jsonType(input)}`)
  }
  const core: Json = {}
  const extensions = new Map<SchemaDefinition, Json>()
  for (const [key, raw] of Object.entries(input)) {
    const extension = findExtension(descriptor, key)
    if (extension) {
      if (isAbsent(raw)) continue
      if (!isPlainObject(raw)) throw invalidValue(extension.id, `expected an object, got ${jsonType(raw)}`)
      const target = extensions.get(extension) ?? {}
      extensions.set(extension, target)
      for (const [name, value] of Object.entries(raw)) {
        const found = findAttribute(descriptor, extension.id, name)
        if (found) put(target, found.attribute, value, `${extension.id}:${found.attribute.name}`)
      }
      continue
    }
    // Top level holds common and core attributes only; extension attributes live under their URN.
    const found = findAttribute(descriptor, undefined, key)
    if (found && !found.extension) put(core, found.attribute, raw, found.attribute.name)
  }
  const resource: Json = { schemas: [] }
  Object.assign(resource, core)
  checkRequired(core, descriptor.core, '')
  for (const [extension, attributes] of extensions) {
    if (Object.keys(attributes).length === 0) continue
    checkRequired(attributes, extension, `${extension.id}:`)
    resource[extension.id] = attributes
  }
  resource.schemas = canonicalSchemas(resource, descriptor)
  return resource
}

function put(target: Json, attribute: AttributeDefinition, raw: unknown, path: string): void {
  if (!isWritable(attribute)) return
  const value = coerceAttributeValue(raw, attribute, path)
  if (value === undefined) delete target[attribute.name]
  else target[attribute.name] = value
}

function checkRequired(attributes: Json, schema: SchemaDefinition, prefix: string): void {
  for (const attribute of schema.attributes) {
    if (attribute.required && isWritable(attribute) && attributes[attribute.name] === undefined) {
      throw badRequest('invalidValue', `${prefix}${attribute.name} is required`)
    }
  }
}
