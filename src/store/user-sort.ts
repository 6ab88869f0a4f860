import type { Expression } from 'kysely'
import type { AttributePath } from '../scim/filter/ast.js'
import { findSubAttribute } from '../scim/schema/registry.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { sqliteSql } from './dialects/sqlite-sql.js'
import { compareScalar, isText } from './sql-comparisons.js'
import {
  elementOperand,
  failWith,
  pathLabel,
  RESOURCE,
  resolveUserOperand,
  type ScalarOperand,
} from './user-operands.js'

const fail = failWith('invalidValue', 'sortBy')

/**
 * The ORDER BY key for a SCIM sortBy (RFC 7644 §3.4.2.3): the typed column when there is one, else
 * the JSON value; case-folded unless caseExact. A multi-valued attribute sorts by its primary
 * element's value, else its first element's. A complex attribute without a sub-attribute (`name`)
 * or an unknown one is rejected with invalidValue. NULL means "no value": the caller orders those
 * last when ascending and first when descending, as the RFC asks. Undefined: every user ties.
 */
export function userSortExpression(
  sortBy: AttributePath,
  dialect: SqlDialect = sqliteSql,
): Expression<unknown> | undefined {
  const operand = resolveUserOperand(sortBy, dialect, fail)
  // A constant (meta.resourceType) orders nothing; PostgreSQL even rejects ORDER BY 'User'.
  if (operand.kind === 'scalar' && !operand.nullable && operand.column === undefined) return undefined
  if (operand.kind === 'scalar') return sortKey(operand, dialect)
  if (operand.kind === 'complex' || (operand.attribute.type === 'complex' && !operand.sub)) {
    throw fail(`"${pathLabel(sortBy)}" is complex; sort by one of its sub-attributes`)
  }
  const { attribute } = operand
  const primary = attribute.type === 'complex' ? findSubAttribute(attribute, 'primary') : undefined
  return dialect.pickElement(
    RESOURCE,
    operand.path,
    (element) => sortKey(elementOperand(dialect, element, operand), dialect),
    primary &&
      ((element) =>
        compareScalar(elementOperand(dialect, element, { ...operand, sub: primary }), 'eq', true, {
          dialect,
          fail,
        })),
  )
}

function sortKey(operand: ScalarOperand, dialect: SqlDialect): Expression<unknown> {
  return isText(operand.type) && !operand.caseExact && !operand.folded
    ? dialect.fold(operand.expr)
    : operand.expr
}
