import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { AttributePath, Filter } from '../scim/filter/ast.js'
import { findSubAttribute, resolvePath, userResource } from '../scim/schema/registry.js'
import type { AttributeDefinition } from '../scim/schema/types.js'
import { USER_SCHEMA } from '../scim/schema/user.js'
import type { UserTable } from './database.js'
import type { JsonSource, SqlDialect } from './dialects/sql-dialect.js'
import { type ComparisonContext, compare, present } from './sql-comparisons.js'
import {
  failWith,
  jsonScalar,
  pathLabel,
  RESOURCE,
  resolveUserOperand,
  type UserOperand,
} from './user-operands.js'

/**
 * Compiles a SCIM filter into a WHERE fragment over the (unaliased) table `users`; the caller adds
 * the tenant condition. Semantics match src/scim/filter/evaluate.ts:
 * - an absent attribute fails every operator except `ne` (absent is "not equal") and `eq null`;
 * - a multi-valued attribute matches when any element does (`ne`: when none has a value, or one differs);
 * - every fragment is true or false, never NULL, so `not (…)` is the exact complement.
 * User values are always bound parameters; JSON paths come from the schema registry.
 */
export function compileUserFilter(filter: Filter, dialect: SqlDialect): RawBuilder<SqlBool> {
  return compile(filter, { dialect, scope: { kind: 'root' }, fail: failWith('invalidFilter', 'filter') })
}

type Scope =
  | { kind: 'root' }
  /** Inside `emails[…]`: names are sub-attributes of `parent`, read from the current element. */
  | { kind: 'element'; parent: AttributeDefinition; label: string; element: JsonSource }
  /** Inside `name[…]` (single-valued complex): names are sub-attributes of `parent`. */
  | { kind: 'complex'; parent: AttributePath }

interface Context extends ComparisonContext {
  scope: Scope
}

function resolve(path: AttributePath, context: Context): UserOperand {
  const { scope, dialect, fail } = context
  if (scope.kind === 'root') return resolveUserOperand(path, dialect, fail)
  if (path.uri !== undefined || path.sub !== undefined) {
    throw fail(`"${pathLabel(path)}" inside a value filter must be a sub-attribute name`)
  }
  if (scope.kind === 'complex') return resolveUserOperand({ ...scope.parent, sub: path.name }, dialect, fail)
  const sub = findSubAttribute(scope.parent, path.name)
  if (!sub) throw fail(`unknown attribute "${scope.label}.${path.name}"`)
  return jsonScalar(dialect, scope.element, [sub.name], sub)
}

function compile(filter: Filter, context: Context): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${compile(filter.left, context)} and ${compile(filter.right, context)})`
    case 'or':
      return sql<SqlBool>`(${compile(filter.left, context)} or ${compile(filter.right, context)})`
    case 'not':
      return sql<SqlBool>`not (${compile(filter.filter, context)})`
    case 'present':
      return present(resolve(filter.path, context), context.dialect)
    case 'compare':
      return compare(resolve(filter.path, context), filter.op, filter.value, context)
    case 'valuePath':
      return valuePath(filter.path, filter.filter, context)
  }
}

function valuePath(path: AttributePath, inner: Filter, context: Context): RawBuilder<SqlBool> {
  const { dialect, fail } = context
  const label = pathLabel(path)
  if (context.scope.kind !== 'root') throw fail(`a value filter cannot contain another "[" (in "${label}")`)
  const resolved = resolvePath(userResource, path)
  if (!resolved || path.sub !== undefined) throw fail(`unknown attribute "${label}"`)
  const { attribute } = resolved
  if (attribute.type !== 'complex')
    throw fail(`"${label}" is not a complex attribute; it cannot take a value filter`)
  if (!attribute.multiValued) return compile(inner, { ...context, scope: { kind: 'complex', parent: path } })
  const workEmail =
    resolved.schema === USER_SCHEMA && attribute.name === 'emails' ? workEmailEquals(inner) : undefined
  if (workEmail !== undefined) return workEmailIs(workEmail.toLowerCase())
  const arrayPath = [...(resolved.extension && resolved.schema ? [resolved.schema] : []), attribute.name]
  return dialect.existsElement(RESOURCE, arrayPath, (element) =>
    compile(inner, { ...context, scope: { kind: 'element', parent: attribute, label, element } }),
  )
}

/**
 * Entra's matching query, on the columns written from the first element of type "work": two indexed
 * lookups, because the work-email index holds only users whose work email differs from their
 * userName (migration 0010); the others are found by the userName index. Never NULL.
 */
export function workEmailIs(lowerCased: string): RawBuilder<SqlBool> {
  const email = sql.ref('users.work_email_lower')
  const userName = sql.ref('users.user_name_lower')
  return sql<SqlBool>`((${email} is not null and ${email} = ${lowerCased} and ${email} <> ${userName}) or (${userName} = ${lowerCased} and ${email} is not null and ${email} = ${userName}))`
}

/** `type eq "work" and value eq "x"` (either order) → "x"; any other shape → undefined. */
export function workEmailEquals(filter: Filter): string | undefined {
  if (filter.kind !== 'and') return undefined
  const terms = [filter.left, filter.right]
  const wanted = (name: string) =>
    terms.find(
      (term) =>
        term.kind === 'compare' &&
        term.op === 'eq' &&
        typeof term.value === 'string' &&
        term.path.uri === undefined &&
        term.path.sub === undefined &&
        term.path.name.toLowerCase() === name,
    )
  const type = wanted('type')
  const value = wanted('value')
  if (type?.kind !== 'compare' || value?.kind !== 'compare' || type === value) return undefined
  return typeof type.value === 'string' &&
    type.value.toLowerCase() === 'work' &&
    typeof value.value === 'string'
    ? value.value
    : undefined
}

/** Columns whose index finds a handful of rows for one value. */
const LOOKUP_COLUMNS = new Set<keyof UserTable>(['id', 'user_name_lower', 'external_id', 'manager_id'])

/**
 * True when the filter must hold an indexed equality (`externalId eq "x" and …`, Entra's work
 * email): the few matching rows are best found through that index, then sorted. Without statistics
 * SQLite would rather walk the (tenant_id, created, id) index to skip sorting, scanning the tenant.
 */
export function isIndexedLookup(filter: Filter, dialect: SqlDialect): boolean {
  if (filter.kind === 'and')
    return isIndexedLookup(filter.left, dialect) || isIndexedLookup(filter.right, dialect)
  if (filter.kind === 'valuePath') {
    const resolved = resolvePath(userResource, filter.path)
    return resolved?.schema === USER_SCHEMA && resolved.attribute.name === 'emails' && !filter.path.sub
      ? workEmailEquals(filter.filter) !== undefined
      : false
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return false
  try {
    const operand = resolveUserOperand(filter.path, dialect, failWith('invalidFilter', 'filter'))
    return operand.kind === 'scalar' && operand.column !== undefined && LOOKUP_COLUMNS.has(operand.column)
  } catch {
    return false
  }
}
