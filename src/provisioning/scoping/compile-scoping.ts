import { compileSafeRegex } from './safe-regex.js'
import {
  isScopingOperator,
  SCOPING_OPERATORS,
  type ScopingClause,
  type ScopingFilter,
  type ScopingOperator,
  UNARY_OPERATORS,
} from './scoping-filter.js'

/** A clause checked up front: operator known, value present and well-formed, regex compiled. */
export interface CompiledClause {
  attribute: string
  operator: ScopingOperator
  value: string
  regex?: RegExp
  integer?: bigint
}

export interface CompiledFilter {
  title: string
  clauses: CompiledClause[]
}

export type CompiledScoping = readonly CompiledFilter[]

export interface ScopingError {
  code: 'ERR_SCOPING_INVALID_CLAUSE' | 'ERR_SCOPING_EMPTY_FILTER'
  message: string
  /** 0-based positions, so a UI can highlight the clause. */
  filter: number
  clause?: number
}

export type ScopingResult = { ok: true; value: CompiledScoping } | { ok: false; errors: ScopingError[] }

const INTEGER = /^-?\d+$/

/**
 * Validates every clause of every filter and reports all problems at once, each naming the filter
 * (by title or number) and the clause (by number and attribute). A job only runs with filters
 * that compiled, so a typo never silently puts everyone in or out of scope.
 */
export function compileScoping(filters: readonly ScopingFilter[]): ScopingResult {
  const errors: ScopingError[] = []
  const compiled: CompiledFilter[] = []
  for (const [f, filter] of filters.entries()) {
    const title = filter.title?.trim() || `filter ${f + 1}`
    if (filter.clauses.length === 0)
      errors.push({
        code: 'ERR_SCOPING_EMPTY_FILTER',
        message: `Scoping ${quote(title)} has no clauses`,
        filter: f,
      })
    const clauses: CompiledClause[] = []
    for (const [c, clause] of filter.clauses.entries()) {
      const result = compileClause(clause)
      if (typeof result !== 'string') clauses.push(result)
      else {
        const where = `Scoping ${quote(title)}, clause ${c + 1} (${clause.attribute || 'no attribute'} ${clause.operator})`
        errors.push({
          code: 'ERR_SCOPING_INVALID_CLAUSE',
          message: `${where}: ${result}`,
          filter: f,
          clause: c,
        })
      }
    }
    compiled.push({ title, clauses })
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: compiled }
}

/** One clause, or the reason it is invalid. */
function compileClause(clause: ScopingClause): CompiledClause | string {
  const { attribute, operator } = clause
  const value = clause.value ?? ''
  if (attribute.trim() === '') return 'the attribute name is empty'
  if (!isScopingOperator(operator)) {
    const hint = SCOPING_OPERATORS.find((known) => known.toLowerCase() === operator.toLowerCase())
    return hint
      ? `unknown operator ${JSON.stringify(operator)}; operators are case-sensitive, did you mean ${JSON.stringify(hint)}?`
      : `unknown operator ${JSON.stringify(operator)}; expected one of ${SCOPING_OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`
  }
  if (UNARY_OPERATORS.has(operator)) {
    if (value !== '') return `${operator} takes no value, got ${JSON.stringify(value)}`
    return { attribute, operator, value }
  }
  if (value === '') return `${operator} needs a value`
  if (operator === 'Greater_Than' || operator === 'Greater_Than_OR_EQUALS') {
    if (!INTEGER.test(value))
      return `${operator} compares integers, but the value ${JSON.stringify(value)} is not one`
    return { attribute, operator, value, integer: BigInt(value) }
  }
  if (operator === 'REGEX MATCH' || operator === 'NOT REGEX MATCH') {
    const regex = compileSafeRegex(value)
    if (!regex.ok) return regex.reason
    return { attribute, operator, value, regex: regex.regex }
  }
  return { attribute, operator, value }
}

const quote = (title: string) => (/^filter \d+$/.test(title) ? title : `filter ${JSON.stringify(title)}`)
