import type { ResourceDescriptor } from '../schema/registry.js'
import type { SchemaDefinition } from '../schema/types.js'
import { isPlainObject, type Json } from './json.js'

/** The extension schema whose URN is `key` (case-insensitive), if the resource type has it. */
export function findExtension(descriptor: ResourceDescriptor, key: string): SchemaDefinition | undefined {
  const wanted = key.toLowerCase()
  return descriptor.extensions.find((extension) => extension.id.toLowerCase() === wanted)
}

/** `schemas` of a canonical resource: the core URN plus each extension actually present. */
export function canonicalSchemas(resource: Json, descriptor: ResourceDescriptor): string[] {
  const present = descriptor.extensions.filter((extension) => isPlainObject(resource[extension.id]))
  return [descriptor.core.id, ...present.map((extension) => extension.id)]
}
