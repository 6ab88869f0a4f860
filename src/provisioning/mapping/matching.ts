import type { AttributeMapping, MappedAttributes, ResolvedAttributes } from './attribute-mapping.js'
import { attributeText } from './target-path.js'
import { targetPathOf } from './target-paths.js'

/** The matching mappings, lowest precedence first: the order in which accounts are looked up. */
export function matchingAttributes(mappings: readonly AttributeMapping[]): AttributeMapping[] {
  return mappings
    .filter((mapping) => mapping.matching !== undefined)
    .sort((a, b) => a.matching!.precedence - b.matching!.precedence)
}

/**
 * The SCIM filter that finds an existing account by one matching attribute:
 * `userName eq "x"`, `emails[type eq "work" and value eq "x"]`, `urn:…:User:employeeNumber eq "x"`.
 * The value is a JSON string literal, as RFC 7644 §3.4.2.2 defines filter strings, so `"` and
 * `\` (and control characters) are escaped.
 */
export function matchingFilter(target: string, value: string): string {
  const path = targetPathOf(target)
  const literal = JSON.stringify(value)
  if (path.filter)
    return `${attributeText(path)}[${path.filter.attribute} eq ${JSON.stringify(path.filter.value)} and ${path.sub ?? 'value'} eq ${literal}]`
  return `${attributeText(path)} eq ${literal}`
}

export interface MatchingQuery {
  target: string
  value: string
  filter: string
}

/**
 * The lookups to try for one object, in precedence order, skipping matching attributes that have
 * no value for it (Entra skips the object only when none has a value: ImportSkipped).
 */
export function matchingQueries(
  mappings: readonly AttributeMapping[],
  attributes: MappedAttributes | ResolvedAttributes,
): MatchingQuery[] {
  const queries: MatchingQuery[] = []
  for (const mapping of matchingAttributes(mappings)) {
    const value = attributes[mapping.target]
    if (typeof value !== 'string' && typeof value !== 'number') continue
    const text = String(value)
    if (text === '') continue
    queries.push({ target: mapping.target, value: text, filter: matchingFilter(mapping.target, text) })
  }
  return queries
}
