import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { CompareOperator, FilterValue } from '../scim/filter/ast.js'
import type { AttributeType } from '../scim/schema/types.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { elementOperand, type Fail, RESOURCE, type ScalarOperand, type UserOperand } from './user-operands.js'

/** What a comparison needs from the filter being compiled. */
export interface ComparisonContext {
  dialect: SqlDialect
  fail: Fail
}

export function isText(type: AttributeType): boolean {
  return type === 'string' || type === 'reference' || type === 'binary'
}

/** RFC 7644 `pr`: not null, not an empty string; a non-empty array; a complex value with a present part. */
export function present(operand: UserOperand, dialect: SqlDialect): RawBuilder<SqlBool> {
  if (operand.kind === 'complex') {
    if (operand.parts.length === 0) return dialect.bool(false)
    return sql<SqlBool>`(${sql.join(
      operand.parts.map((part) => present(part, dialect)),
      sql` or `,
    )})`
  }
  if (operand.kind === 'multi') {
    if (operand.explicitSub) {
      return dialect.existsElement(RESOURCE, operand.path, (element) =>
        present(elementOperand(dialect, element, operand), dialect),
      )
    }
    const length = dialect.jsonArrayLength(RESOURCE, operand.path)
    return sql<SqlBool>`(${length} is not null and ${length} > 0)`
  }
  if (isText(operand.type)) {
    return operand.nullable
      ? sql<SqlBool>`(${operand.expr} is not null and ${operand.expr} <> '')`
      : sql<SqlBool>`${operand.expr} <> ''`
  }
  return operand.nullable ? sql<SqlBool>`${operand.expr} is not null` : dialect.bool(true)
}

export function compare(
  operand: UserOperand,
  op: CompareOperator,
  value: FilterValue,
  context: ComparisonContext,
): RawBuilder<SqlBool> {
  const { dialect, fail } = context
  if (value === null) {
    if (op === 'eq') return sql<SqlBool>`not (${present(operand, dialect)})`
    if (op === 'ne') return present(operand, dialect)
    throw fail(`"${op} null" is not a comparison; use "eq null", "ne null" or "pr"`)
  }
  if (operand.kind === 'complex')
    throw fail(`"${operand.label}" is complex; compare one of its sub-attributes`)
  if (operand.kind === 'scalar') return compareScalar(operand, op, value, context)
  if (operand.attribute.type === 'complex' && !operand.sub) {
    throw fail(`"${operand.attribute.name}" is complex; compare one of its sub-attributes`)
  }
  const each = (test: (element: ScalarOperand) => RawBuilder<SqlBool>) =>
    dialect.existsElement(RESOURCE, operand.path, (element) =>
      test(elementOperand(dialect, element, operand)),
    )
  if (op !== 'ne') return each((element) => compareScalar(element, op, value, context))
  // Like evaluate.ts: `ne` holds when no element has a value, or some element's value differs.
  const anyValue = each((element) => sql<SqlBool>`${element.expr} is not null`)
  const differs = each(
    (element) =>
      sql<SqlBool>`(${element.expr} is not null and ${compareScalar(element, 'ne', value, context)})`,
  )
  return sql<SqlBool>`(not (${anyValue}) or ${differs})`
}

const SQL_OPERATORS = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' } as const

export function compareScalar(
  operand: ScalarOperand,
  op: CompareOperator,
  value: Exclude<FilterValue, null>,
  context: ComparisonContext,
): RawBuilder<SqlBool> {
  if (op === 'ne') return sql<SqlBool>`not (${compareScalar(operand, 'eq', value, context)})`
  const { dialect } = context
  const [left, right] = operands(operand, op, value, context)
  let test: RawBuilder<SqlBool>
  if (op === 'co') test = dialect.contains(left, right)
  else if (op === 'sw') test = dialect.startsWith(left, right)
  else if (op === 'ew') test = dialect.endsWith(left, right)
  else test = sql<SqlBool>`${left} ${sql.raw(SQL_OPERATORS[op])} ${right}`
  // Guarding on NULL keeps the fragment two-valued, so `not (…)` is its exact complement.
  return operand.nullable ? sql<SqlBool>`(${operand.expr} is not null and ${test})` : test
}

/** Both sides of a comparison, typed and case-folded as the attribute requires; invalid → invalidFilter. */
function operands(
  operand: ScalarOperand,
  op: Exclude<CompareOperator, 'ne'>,
  value: string | number | boolean,
  { dialect, fail }: ComparisonContext,
): [Expression<unknown>, Expression<unknown>] {
  const substring = op === 'co' || op === 'sw' || op === 'ew'
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le'
  const refuse = () => fail(`"${op}" cannot compare a ${operand.type} attribute`)
  switch (operand.type) {
    case 'complex':
      throw refuse()
    case 'boolean': {
      if (op !== 'eq') throw refuse()
      // Entra sends `roles[primary eq "True"]`: booleans written as strings compare as booleans.
      const wanted = typeof value === 'string' ? booleanText(value) : value
      if (typeof wanted !== 'boolean') throw fail(`expected true or false, got ${JSON.stringify(value)}`)
      return [operand.expr, operand.integerBoolean ? sql.val(wanted ? 1 : 0) : dialect.bool(wanted)]
    }
    case 'integer':
    case 'decimal':
      if (substring) throw refuse()
      if (typeof value !== 'number') throw fail(`expected a number, got ${JSON.stringify(value)}`)
      return [operand.expr, sql.val(value)]
    case 'dateTime':
      // Substring tests look at the stored ISO text (`meta.created sw "2024-05"`).
      if (substring) return [operand.expr, sql.val(String(value))]
      return [operand.expr, sql.val(instant(value, fail))]
    default: {
      if (operand.type === 'binary' && (substring || ordering)) throw refuse()
      const text = String(value)
      if (operand.caseExact) return [operand.expr, sql.val(text)]
      if (operand.folded) return [operand.expr, sql.val(text.toLowerCase())]
      return [dialect.fold(operand.expr), dialect.fold(sql.val(text))]
    }
  }
}

function booleanText(value: string): boolean | undefined {
  const lower = value.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

/**
 * Filter dateTimes compare as instants, in the columns' toISOString() format. Only ISO 8601 is
 * accepted (JS parses other shapes in the server's zone), and a time without offset means UTC.
 */
function instant(value: string | number | boolean, fail: Fail): string {
  const text = typeof value === 'string' ? value.trim() : ''
  const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text) ? `${text}Z` : text
  const date = new Date(zoned)
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw fail(`invalid dateTime ${JSON.stringify(value)}`)
  }
  return date.toISOString()
}
