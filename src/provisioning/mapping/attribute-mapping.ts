/**
 * An attribute mapping, as Entra's "Edit attribute" dialog defines it (entra-scim.md §10.5):
 * where the value comes from (a source attribute, a constant or an expression; `none` only
 * supplies the default on create), which SCIM path it goes to, and when it applies.
 */
export type MappingType = 'direct' | 'constant' | 'expression' | 'none'
export type ApplyOn = 'always' | 'createOnly'

export interface AttributeMapping {
  /** SCIM path: `userName`, `name.givenName`, `emails[type eq "work"].value`, `urn:…:User:department`. */
  target: string
  type: MappingType
  /** Source attribute name (direct mappings). */
  source?: string
  constant?: string
  expression?: string
  /** Used when the mapped value is null or empty, on create only (as in Entra). */
  defaultValue?: string
  applyOn: ApplyOn
  /** Marks a matching attribute; lower precedence is tried first. */
  matching?: { precedence: number }
}

/**
 * A reference to another source object (manager, group member), by its SOURCE id: the engine
 * turns it into the target's id once the referenced object exists there (resolveReferences).
 */
export interface Reference {
  reference: string
}

export type MappedScalar = string | number | boolean

/**
 * What evaluateMappings produces for one path. `null` appears only with `flowNulls` (a mapped
 * attribute that became empty and should be cleared); by default nulls are never sent.
 */
export type MappedValue = MappedScalar | MappedScalar[] | Reference | Reference[] | null

/** Target path → value, in mapping order. */
export type MappedAttributes = Record<string, MappedValue>

/** Like MappedAttributes with references replaced by target ids: what goes on the wire. */
export type ResolvedValue = MappedScalar | MappedScalar[] | null
export type ResolvedAttributes = Record<string, ResolvedValue>

export function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && typeof (value as Reference).reference === 'string'
}
