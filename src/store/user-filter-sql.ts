import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import { badRequest, type ScimError, type ScimType } from '../scim/errors.js'
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../scim/filter/ast.js'
import { attr } from '../scim/schema/define.js'
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'
import { findSubAttribute, resolvePath, userResource } from '../scim/schema/registry.js'
import type { AttributeDefinition, AttributeType } from '../scim/schema/types.js'
import { USER_SCHEMA } from '../scim/schema/user.js'
import type { UserTable } from './database.js'
import {
  type JsonScalarType,
  type JsonSource,
  jsonDocument,
  type SqlDialect,
} from './dialects/sql-dialect.js'

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

/** One value per user: a typed column, a JSON scalar, or a constant (meta.resourceType). */
export interface ScalarOperand {
  kind: 'scalar'
  expr: Expression<unknown>
  type: AttributeType
  caseExact: boolean
  /** Already JS-lower-cased text (user_name_lower): compare with a lower-cased literal, as is. */
  folded: boolean
  nullable: boolean
  /** A 0/1 integer column rather than a JSON boolean. */
  integerBoolean: boolean
  /** The typed column behind `expr`, if any. */
  column?: keyof UserTable
}

/** A multi-valued attribute: `compare` applies to `sub` of each element (the element itself for `schemas`). */
export interface MultiOperand {
  kind: 'multi'
  path: string[]
  attribute: AttributeDefinition
  sub: AttributeDefinition | undefined
  explicitSub: boolean
}

/** A single-valued complex attribute named without a sub-attribute (`name pr`). */
export interface ComplexOperand {
  kind: 'complex'
  label: string
  parts: ScalarOperand[]
}

export type UserOperand = ScalarOperand | MultiOperand | ComplexOperand

export type Fail = (detail: string) => ScimError

export function failWith(scimType: ScimType, context: string): Fail {
  return (detail) => badRequest(scimType, `${context}: ${detail}`)
}

type Scope =
  | { kind: 'root' }
  /** Inside `emails[…]`: names are sub-attributes of `parent`, read from the current element. */
  | { kind: 'element'; parent: AttributeDefinition; label: string; element: JsonSource }
  /** Inside `name[…]` (single-valued complex): names are sub-attributes of `parent`. */
  | { kind: 'complex'; parent: AttributePath }

interface Context {
  dialect: SqlDialect
  scope: Scope
  fail: Fail
}

/** The canonical SCIM JSON of the user being filtered. */
export const RESOURCE = jsonDocument(sql.ref('users.resource'))

/** `schemas` is not a schema attribute but is filterable (`schemas eq "urn:…"`). */
const SCHEMAS = attr('schemas', 'reference', 'The schemas of the resource.', { multiValued: true })

interface ColumnMapping {
  column: keyof UserTable & string
  folded?: true
  notNull?: true
  caseExact?: boolean
}

/** Attributes mirrored in typed columns (see src/directory/user-record.ts, which writes them). */
const COLUMNS: Record<string, ColumnMapping> = {
  id: { column: 'id', notNull: true },
  externalId: { column: 'external_id' },
  userName: { column: 'user_name_lower', folded: true, notNull: true },
  displayName: { column: 'display_name' },
  'name.givenName': { column: 'given_name' },
  'name.familyName': { column: 'family_name' },
  title: { column: 'title' },
  // The column is authoritative: a user stored without `active` is rendered (and filtered) as active.
  active: { column: 'active', notNull: true },
  'meta.created': { column: 'created', notNull: true },
  'meta.lastModified': { column: 'last_modified', notNull: true },
  [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: { column: 'employee_number' },
  [`${ENTERPRISE_USER_SCHEMA}:costCenter`]: { column: 'cost_center' },
  [`${ENTERPRISE_USER_SCHEMA}:organization`]: { column: 'organization' },
  [`${ENTERPRISE_USER_SCHEMA}:division`]: { column: 'division' },
  [`${ENTERPRISE_USER_SCHEMA}:department`]: { column: 'department' },
  // manager.value holds a user id, compared exactly like ids so `manager eq` uses its index.
  [`${ENTERPRISE_USER_SCHEMA}:manager.value`]: { column: 'manager_id', caseExact: true },
}

export function pathLabel(path: AttributePath): string {
  return `${path.uri ? `${path.uri}:` : ''}${path.name}${path.sub ? `.${path.sub}` : ''}`
}

function jsonType(type: AttributeType): JsonScalarType {
  return type === 'boolean' ? 'boolean' : type === 'integer' || type === 'decimal' ? 'number' : 'string'
}

function jsonScalar(
  dialect: SqlDialect,
  source: JsonSource,
  path: string[],
  def: AttributeDefinition,
): ScalarOperand {
  const expr = dialect.jsonScalar(source, path, jsonType(def.type))
  return {
    kind: 'scalar',
    expr,
    type: def.type,
    caseExact: def.caseExact,
    folded: false,
    nullable: true,
    integerBoolean: false,
  }
}

/** The scalar an element of a multi-valued attribute contributes (its `sub`, or itself for strings). */
export function elementOperand(dialect: SqlDialect, element: JsonSource, multi: MultiOperand): ScalarOperand {
  if (multi.attribute.type !== 'complex') return jsonScalar(dialect, element, [], multi.attribute)
  if (!multi.sub) throw new TypeError(`${multi.attribute.name} has no value sub-attribute`)
  return jsonScalar(dialect, element, [multi.sub.name], multi.sub)
}

/** Resolves a path written at the top level of a filter (or as sortBy) to what SQL compares. */
export function resolveUserOperand(path: AttributePath, dialect: SqlDialect, fail: Fail): UserOperand {
  const label = pathLabel(path)
  if (path.uri === undefined && path.sub === undefined && path.name.toLowerCase() === 'schemas') {
    return { kind: 'multi', path: ['schemas'], attribute: SCHEMAS, sub: undefined, explicitSub: false }
  }
  const resolved = resolvePath(userResource, path)
  if (!resolved) throw fail(`unknown attribute "${label}"`)
  const { attribute, extension, schema } = resolved
  if (attribute.returned === 'never') throw fail(`attribute "${label}" cannot be filtered or sorted on`)
  // A complex attribute named alone stands for its `value` (`emails co "x"`, Entra's `manager eq "id"`).
  const sub =
    resolved.sub ?? (attribute.type === 'complex' ? findSubAttribute(attribute, 'value') : undefined)
  const jsonPath = [...(extension && schema ? [schema] : []), attribute.name]
  if (attribute.multiValued) {
    return { kind: 'multi', path: jsonPath, attribute, sub, explicitSub: resolved.sub !== undefined }
  }
  if (attribute.type === 'complex' && !sub) {
    const parts = (attribute.subAttributes ?? [])
      .filter((part) => !(attribute.name === 'meta' && unfilterableMeta(part.name)))
      .map((part) => resolveUserOperand({ ...path, sub: part.name }, dialect, fail) as ScalarOperand)
    return { kind: 'complex', label, parts }
  }
  const key = `${extension ? `${schema}:` : ''}${attribute.name}${sub ? `.${sub.name}` : ''}`
  const def = sub ?? attribute
  const mapping = COLUMNS[key]
  if (mapping) {
    return {
      kind: 'scalar',
      expr: sql.ref(`users.${mapping.column}`),
      type: def.type,
      caseExact: mapping.caseExact ?? def.caseExact,
      folded: mapping.folded === true,
      nullable: mapping.notNull !== true,
      integerBoolean: def.type === 'boolean',
      column: mapping.column,
    }
  }
  if (key === 'meta.resourceType') {
    // A literal, not a parameter: PostgreSQL cannot type `$1 = $2`. It comes from the registry.
    const expr = sql.lit(userResource.resourceType.name)
    return {
      kind: 'scalar',
      expr,
      type: 'string',
      caseExact: true,
      folded: false,
      nullable: false,
      integerBoolean: false,
    }
  }
  if (attribute.name === 'meta') throw fail(`attribute "${label}" cannot be filtered or sorted on`)
  return jsonScalar(dialect, RESOURCE, sub ? [...jsonPath, sub.name] : jsonPath, def)
}

/** meta.location depends on the request's base URL and meta.version is an ETag: neither is stored. */
function unfilterableMeta(name: string): boolean {
  return name === 'location' || name === 'version'
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
  if (workEmail !== undefined) {
    // Entra's matching query; work_email_lower is indexed (written from the element of type "work").
    const column = sql.ref('users.work_email_lower')
    return sql<SqlBool>`(${column} is not null and ${column} = ${workEmail.toLowerCase()})`
  }
  const arrayPath = [...(resolved.extension && resolved.schema ? [resolved.schema] : []), attribute.name]
  return dialect.existsElement(RESOURCE, arrayPath, (element) =>
    compile(inner, { ...context, scope: { kind: 'element', parent: attribute, label, element } }),
  )
}

/** `type eq "work" and value eq "x"` (either order) → "x"; any other shape → undefined. */
function workEmailEquals(filter: Filter): string | undefined {
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

function compare(
  operand: UserOperand,
  op: CompareOperator,
  value: FilterValue,
  context: Context,
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
  context: Pick<Context, 'dialect' | 'fail'>,
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
  { dialect, fail }: Pick<Context, 'dialect' | 'fail'>,
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
