import type { AttributePath } from '../filter/ast.js'
import { commonAttributes } from './common.js'
import { ENTERPRISE_USER_SCHEMA, enterpriseUserSchema } from './enterprise-user.js'
import { GROUP_SCHEMA, groupSchema } from './group.js'
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js'
import { USER_SCHEMA, userSchema } from './user.js'

/**
 * One entry per resource type: its core schema and extensions. Validation, PATCH, filters,
 * /Schemas and /ResourceTypes are all driven from here, never written by hand.
 */
export interface ResourceDescriptor {
  resourceType: ResourceTypeDefinition
  core: SchemaDefinition
  extensions: SchemaDefinition[]
}

/** An attribute path resolved against a resource's schemas, with canonical names. */
export interface ResolvedAttribute {
  /** URN of the schema holding the attribute; undefined for common attributes (id, externalId, meta). */
  schema: string | undefined
  /** True when the attribute lives under the extension's URN key in the resource JSON. */
  extension: boolean
  attribute: AttributeDefinition
  sub?: AttributeDefinition
}

export const userResource: ResourceDescriptor = {
  resourceType: {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  core: userSchema,
  extensions: [enterpriseUserSchema],
}

export const groupResource: ResourceDescriptor = {
  resourceType: {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA,
    schemaExtensions: [],
  },
  core: groupSchema,
  extensions: [],
}

/** User first: Microsoft's Postman collection checks Resources[0].endpoint == "/Users". */
export const resourceDescriptors: ResourceDescriptor[] = [userResource, groupResource]

/** In the order of Entra's /Schemas sample (entra-scim.md §5): core User, core Group, then extensions. */
export const allSchemas: SchemaDefinition[] = [userSchema, groupSchema, enterpriseUserSchema]

export function findSchema(id: string): SchemaDefinition | undefined {
  const wanted = id.toLowerCase()
  return allSchemas.find((schema) => schema.id.toLowerCase() === wanted)
}

function byName(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase()
  return attributes.find((attribute) => attribute.name.toLowerCase() === wanted)
}

/** Finds a top-level attribute by name, case-insensitively (RFC 7644 §3.10). */
export function findAttribute(
  descriptor: ResourceDescriptor,
  uri: string | undefined,
  name: string,
): Omit<ResolvedAttribute, 'sub'> | undefined {
  if (uri !== undefined) {
    const wanted = uri.toLowerCase()
    if (wanted === descriptor.core.id.toLowerCase()) {
      const attribute = byName(descriptor.core.attributes, name)
      return attribute && { schema: descriptor.core.id, extension: false, attribute }
    }
    const schema = descriptor.extensions.find((extension) => extension.id.toLowerCase() === wanted)
    const attribute = schema && byName(schema.attributes, name)
    return schema && attribute && { schema: schema.id, extension: true, attribute }
  }
  const common = byName(commonAttributes, name)
  if (common) return { schema: undefined, extension: false, attribute: common }
  const core = byName(descriptor.core.attributes, name)
  if (core) return { schema: descriptor.core.id, extension: false, attribute: core }
  // Entra writes `manager` unqualified (entra-scim.md §3.5.4); accept an extension attribute by its bare name.
  for (const schema of descriptor.extensions) {
    const attribute = byName(schema.attributes, name)
    if (attribute) return { schema: schema.id, extension: true, attribute }
  }
  return undefined
}

/** Resolves `uri:name.sub` against a resource type; undefined when any part is unknown. */
export function resolvePath(
  descriptor: ResourceDescriptor,
  path: AttributePath,
): ResolvedAttribute | undefined {
  const found = findAttribute(descriptor, path.uri, path.name)
  if (!found) return undefined
  if (path.sub === undefined) return found
  const sub = found.attribute.subAttributes && byName(found.attribute.subAttributes, path.sub)
  return sub ? { ...found, sub } : undefined
}

/** Resolves a sub-attribute of a complex attribute (for paths inside a value filter). */
export function findSubAttribute(parent: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return parent.subAttributes && byName(parent.subAttributes, name)
}
