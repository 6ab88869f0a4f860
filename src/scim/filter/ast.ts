/**
 * The filter AST (RFC 7644 §3.4.2.2). Attribute paths are kept as written; the schema registry
 * resolves them (case-insensitively) when a filter is compiled or evaluated.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'

export type FilterValue = string | number | boolean | null

/** `urn:…:User:manager.value` → { uri: 'urn:…:User', name: 'manager', sub: 'value' } */
export interface AttributePath {
  uri?: string
  name: string
  sub?: string
}

export type Filter =
  | { kind: 'compare'; path: AttributePath; op: CompareOperator; value: FilterValue }
  | { kind: 'present'; path: AttributePath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /**
   * `emails[type eq "work" and value co "@x.com"]`: `filter` applies to each element of the
   * multi-valued attribute `path`, its paths are relative to that element (no uri, no sub).
   */
  | { kind: 'valuePath'; path: AttributePath; filter: Filter }

/**
 * A PATCH target (RFC 7644 §3.5.2): `attrPath`, or `valuePath [ "." subAttr ]`.
 * `emails[type eq "work"].value` → { path: emails, filter: type eq "work", sub: 'value' }.
 */
export interface PatchPath {
  path: AttributePath
  filter?: Filter
  /** Sub-attribute after a value filter; for a plain `name.givenName` it is `path.sub`. */
  sub?: string
}
