/**
 * Attribute scoping filters (entra-scim.md §10.3): a set of filters ORed together, each a list
 * of clauses ANDed together. Operators are spelled exactly as Entra spells them, so filters can be
 * copied from an Entra configuration.
 */
export const SCOPING_OPERATORS = [
  '&',
  '!&',
  'ENDS_WITH',
  'EQUALS',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Includes',
  'IS FALSE',
  'IS NOT NULL',
  'IS NULL',
  'IS TRUE',
  'NOT EQUALS',
  'NOT REGEX MATCH',
  'REGEX MATCH',
] as const

export type ScopingOperator = (typeof SCOPING_OPERATORS)[number]

/** Operators that test the attribute alone and take no value. */
export const UNARY_OPERATORS: ReadonlySet<ScopingOperator> = new Set([
  'IS FALSE',
  'IS NOT NULL',
  'IS NULL',
  'IS TRUE',
])

/** As configured (operator not yet checked); compileScoping validates it. */
export interface ScopingClause {
  attribute: string
  operator: string
  value?: string
}

export interface ScopingFilter {
  title?: string
  clauses: ScopingClause[]
}

export function isScopingOperator(operator: string): operator is ScopingOperator {
  return (SCOPING_OPERATORS as readonly string[]).includes(operator)
}
