import { readAttribute } from '../expressions/read-attribute.js'
import type { CompiledClause, CompiledScoping } from './compile-scoping.js'
import { testSafely } from './safe-regex.js'

/**
 * Why an object is in or out of scope, for the provisioning log's "scoping" step: the first
 * filter that passed, or for each filter the first clause that failed.
 */
export interface ScopingOutcome {
  inScope: boolean
  /** Title of the filter that let the object in; undefined when there are no filters or none passed. */
  matchedFilter?: string
  failures: Array<{ filter: string; clause: number; attribute: string; operator: string; reason: string }>
}

/** No filters means everyone is in scope (Entra's default). */
export function evaluateScoping(
  scoping: CompiledScoping,
  source: Readonly<Record<string, unknown>>,
): ScopingOutcome {
  if (scoping.length === 0) return { inScope: true, failures: [] }
  const failures: ScopingOutcome['failures'] = []
  for (const filter of scoping) {
    const failed = filter.clauses.findIndex((clause) => !evaluateClause(clause, source).passed)
    if (failed === -1) return { inScope: true, matchedFilter: filter.title, failures: [] }
    const clause = filter.clauses[failed]!
    failures.push({
      filter: filter.title,
      clause: failed,
      attribute: clause.attribute,
      operator: clause.operator,
      reason: evaluateClause(clause, source).reason,
    })
  }
  return { inScope: false, failures }
}

export function isInScope(scoping: CompiledScoping, source: Readonly<Record<string, unknown>>): boolean {
  return (
    scoping.length === 0 ||
    scoping.some((filter) => filter.clauses.every((clause) => evaluateClause(clause, source).passed))
  )
}

export interface ClauseResult {
  passed: boolean
  reason: string
}

/**
 * One clause. A null or empty attribute makes every clause false except IS NULL, as Entra
 * documents (NOT REGEX MATCH included). Entra does not filter on multi-valued attributes; we do:
 * a positive operator passes when any value passes, a negative one when no value matches.
 */
export function evaluateClause(
  clause: CompiledClause,
  source: Readonly<Record<string, unknown>>,
): ClauseResult {
  const values = texts(readAttribute(source, clause.attribute))
  const empty = values.length === 0
  const result = (passed: boolean, reason: string) => ({ passed, reason: passed ? 'passed' : reason })
  if (clause.operator === 'IS NULL') return result(empty, 'the attribute has a value')
  if (empty) return result(false, 'the attribute is null or empty')
  const any = (test: (value: string) => boolean) => values.some(test)
  const target = clause.value
  switch (clause.operator) {
    case 'IS NOT NULL':
      return result(true, '')
    case 'IS TRUE':
      return result(
        any((v) => v.toLowerCase() === 'true'),
        'the attribute is not true',
      )
    case 'IS FALSE':
      return result(
        any((v) => v.toLowerCase() === 'false'),
        'the attribute is not false',
      )
    case 'EQUALS':
      return result(
        any((v) => v === target),
        `the attribute does not equal ${JSON.stringify(target)}`,
      )
    case 'NOT EQUALS':
      return result(!any((v) => v === target), `the attribute equals ${JSON.stringify(target)}`)
    case 'Includes':
      return result(
        any((v) => v.includes(target)),
        `the attribute does not contain ${JSON.stringify(target)}`,
      )
    case 'ENDS_WITH':
      return result(
        any((v) => v.endsWith(target)),
        `the attribute does not end with ${JSON.stringify(target)}`,
      )
    // "returns true if the evaluated attribute exists in the input string value" (Microsoft's words).
    case '&':
      return result(
        any((v) => target.includes(v)),
        `the attribute does not occur in ${JSON.stringify(target)}`,
      )
    case '!&':
      return result(!any((v) => target.includes(v)), `the attribute occurs in ${JSON.stringify(target)}`)
    case 'Greater_Than':
    case 'Greater_Than_OR_EQUALS': {
      const strict = clause.operator === 'Greater_Than'
      const bound = clause.integer!
      const passed = any((v) => INTEGER.test(v) && (strict ? BigInt(v) > bound : BigInt(v) >= bound))
      return result(passed, `the attribute is not an integer ${strict ? '>' : '>='} ${target}`)
    }
    case 'REGEX MATCH':
    case 'NOT REGEX MATCH': {
      const tested = values.map((v) => testSafely(clause.regex!, v))
      if (tested.includes(undefined))
        return result(false, 'the attribute is too long to test against a regular expression')
      const matched = tested.includes(true)
      return clause.operator === 'REGEX MATCH'
        ? result(matched, `the attribute does not match ${target}`)
        : result(!matched, `the attribute matches ${target}`)
    }
  }
}

const INTEGER = /^-?\d+$/

/** Attribute values as text (booleans as "True"/"False"); null, "" and [] give no values. */
function texts(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : [raw]
  const out: string[] = []
  for (const item of items) {
    if (item === null || item === undefined || item === '') continue
    if (typeof item === 'boolean') out.push(item ? 'True' : 'False')
    else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'bigint')
      out.push(String(item))
    else if (typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string')
      out.push((item as { id: string }).id)
  }
  return out
}
