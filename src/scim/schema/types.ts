/** Attribute and schema definitions as RFC 7643 §7 describes them; /Schemas renders these as-is. */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'complex'
  | 'binary'
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
export type Returned = 'always' | 'never' | 'default' | 'request'
export type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDefinition {
  name: string
  type: AttributeType
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: Mutability
  returned: Returned
  uniqueness: Uniqueness
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: AttributeDefinition[]
}

export interface SchemaDefinition {
  id: string
  name: string
  description: string
  attributes: AttributeDefinition[]
}

export interface ResourceTypeDefinition {
  id: string
  name: string
  endpoint: string
  description: string
  schema: string
  schemaExtensions: { schema: string; required: boolean }[]
}
