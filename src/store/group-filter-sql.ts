import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../scim/filter/ast.js'
import { GROUP_SCHEMA } from '../scim/schema/group.js'
import { findAttribute, findSubAttribute, groupResource, resolvePath } from '../scim/schema/registry.js'
import type { AttributeDefinition, AttributeType } from '../scim/schema/types.js'
import type { GroupTable } from './database.js'
import type { SqlDialect } from './dialects/sql-dialect.js'
import { type ComparisonContext, compare, compareScalar, present } from './sql-comparisons.js'
import { type ComplexOperand, type Fail, failWith, pathLabel, type ScalarOperand } from './user-operands.js'

/**
 * Compiles a SCIM filter into a WHERE fragment over the (unaliased) table `groups`; the caller adds
 * the tenant condition. Semantics match src/scim/filter/evaluate.ts, as compileUserFilter's do:
 * - an absent attribute fails every operator except `ne` (absent is "not equal") and `eq null`;
 * - `members` matches when any member does (`ne`: when there is none, or one differs);
 * - every fragment is true or false, never NULL, so `not (…)` is the exact complement.
 * Group attributes are typed columns; members are rows of group_members, tested with EXISTS.
 * Values are always bound parameters.
 */
export function compileGroupFilter(filter: Filter, dialect: SqlDialect): RawBuilder<SqlBool> {
  return compile(filter, { dialect, scope: { kind: 'root' }, fail: failWith('invalidFilter', 'filter') })
}

/**
 * Compiles the value filter of a PATCH path `members[<filter>]` (entra-scim.md §4) into a condition
 * on the (unaliased) table `group_members`, selecting the member rows it names; the caller adds the
 * tenant and group. Names are `value` and `type`; mistakes are invalidPath errors quoting `text`.
 */
export function compileMemberValueFilter(
  filter: Filter,
  dialect: SqlDialect,
  text: string,
): RawBuilder<SqlBool> {
  return compile(filter, {
    dialect,
    scope: { kind: 'member', table: 'group_members' },
    fail: failWith('invalidPath', `path "${text}"`),
  })
}

export interface GroupColumn {
  column: keyof GroupTable & string
  /** Already JS-lower-cased text: compare with a lower-cased literal, as is. */
  folded?: true
  nullable?: true
}

/** Group attributes held in typed columns of `groups`, by canonical path; filterable and sortable. */
export const GROUP_COLUMNS: Readonly<Record<string, GroupColumn>> = {
  id: { column: 'id' },
  externalId: { column: 'external_id', nullable: true },
  displayName: { column: 'display_name_lower', folded: true },
  'meta.created': { column: 'created' },
  'meta.lastModified': { column: 'last_modified' },
}

/** `members.value` and `members.type` are the columns of a group_members row. */
const MEMBER_COLUMNS: Readonly<Record<string, 'member_id' | 'member_type'>> = {
  value: 'member_id',
  type: 'member_type',
}

/** The membership row in the EXISTS subqueries of a group filter. */
const MEMBER = 'm'

const MEMBERS = findAttribute(groupResource, undefined, 'members')?.attribute

/**
 * Canonical key of a top-level path (`urn:…:Group:DisplayName` → `displayName`, `meta.created`,
 * `members`, `members.value`), or `schemas`; unknown paths fail naming the attribute.
 */
export function groupAttributeKey(path: AttributePath, fail: Fail): string {
  if (isSchemas(path)) return 'schemas'
  const resolved = resolvePath(groupResource, path)
  if (!resolved) throw fail(`unknown attribute "${pathLabel(path)}"`)
  return keyOf(resolved.attribute, resolved.sub)
}

function keyOf(attribute: AttributeDefinition, sub: AttributeDefinition | undefined): string {
  return sub ? `${attribute.name}.${sub.name}` : attribute.name
}

/** `schemas` is not a schema attribute but is filterable (`schemas eq "urn:…"`). */
function isSchemas(path: AttributePath): boolean {
  return path.uri === undefined && path.sub === undefined && path.name.toLowerCase() === 'schemas'
}

/** Attributes whose index finds at most a handful of groups for one value. */
const LOOKUP_KEYS = new Set(['id', 'externalId', 'displayName'])

/**
 * True when the filter must hold an indexed equality (`displayName eq "x" and …`): the few matching
 * groups are best found through that index, then sorted, rather than by walking the tenant in
 * (created, id) order to skip the sort.
 */
export function isGroupIndexedLookup(filter: Filter): boolean {
  if (filter.kind === 'and') return isGroupIndexedLookup(filter.left) || isGroupIndexedLookup(filter.right)
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return false
  try {
    return LOOKUP_KEYS.has(groupAttributeKey(filter.path, failWith('invalidFilter', 'filter')))
  } catch {
    return false
  }
}

type Scope =
  | { kind: 'root' }
  /** Inside `members[…]`: names are sub-attributes of a member, read from its row in `table`. */
  | { kind: 'member'; table: string }
  /** Inside `meta[…]` (single-valued complex): names are sub-attributes of `parent`. */
  | { kind: 'complex'; parent: AttributePath }

interface Context extends ComparisonContext {
  scope: Scope
}

/** `members`, `members.value` or `members.type`: any membership row of the group. */
interface MembersOperand {
  kind: 'members'
  /** The member's scalar the comparison reads (`value` when the path names no sub-attribute). */
  element: ScalarOperand
  /** `members pr` asks for any member; `members.value pr` for a member with a non-empty value. */
  explicitSub: boolean
}

type GroupOperand = ScalarOperand | ComplexOperand | MembersOperand

function compile(filter: Filter, context: Context): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${compile(filter.left, context)} and ${compile(filter.right, context)})`
    case 'or':
      return sql<SqlBool>`(${compile(filter.left, context)} or ${compile(filter.right, context)})`
    case 'not':
      return sql<SqlBool>`not (${compile(filter.filter, context)})`
    case 'present': {
      const operand = resolve(filter.path, context)
      if (operand.kind !== 'members') return present(operand, context.dialect)
      return anyMember(operand.explicitSub ? present(operand.element, context.dialect) : undefined)
    }
    case 'compare': {
      const operand = resolve(filter.path, context)
      if (operand.kind !== 'members') return compare(operand, filter.op, filter.value, context)
      return compareMembers(operand, filter.op, filter.value, context)
    }
    case 'valuePath':
      return valuePath(filter.path, filter.filter, context)
  }
}

function resolve(path: AttributePath, context: Context): GroupOperand {
  const { scope, fail } = context
  if (scope.kind === 'root') return resolveRoot(path, fail)
  if (path.uri !== undefined || path.sub !== undefined) {
    throw fail(`"${pathLabel(path)}" inside a value filter must be a sub-attribute name`)
  }
  if (scope.kind === 'complex') return resolveRoot({ ...scope.parent, sub: path.name }, fail)
  return memberScalar(path.name, scope.table, fail)
}

function resolveRoot(path: AttributePath, fail: Fail): GroupOperand {
  const label = pathLabel(path)
  // Every group carries exactly the core schema (the Microsoft URI Entra adds is not kept).
  if (isSchemas(path)) return constant(GROUP_SCHEMA.toLowerCase(), 'reference', { folded: true })
  const resolved = resolvePath(groupResource, path)
  if (!resolved) throw fail(`unknown attribute "${label}"`)
  const { attribute, sub } = resolved
  if (attribute === MEMBERS) {
    return {
      kind: 'members',
      element: memberScalar(sub?.name ?? 'value', MEMBER, fail),
      explicitSub: sub !== undefined,
    }
  }
  if (attribute.type === 'complex' && !sub) {
    // `meta pr`: any of its filterable parts.
    const parts = (attribute.subAttributes ?? [])
      .filter((part) => !UNFILTERABLE_META.has(part.name))
      .map((part) => resolveRoot({ ...path, sub: part.name }, fail) as ScalarOperand)
    return { kind: 'complex', label, parts }
  }
  const mapping = GROUP_COLUMNS[keyOf(attribute, sub)]
  if (mapping) return columnOperand(mapping, sub ?? attribute)
  // A literal, not a parameter: PostgreSQL cannot type `$1 = $2`. It comes from the registry.
  if (attribute.name === 'meta' && sub?.name === 'resourceType') {
    return constant(groupResource.resourceType.name, 'string', { caseExact: true })
  }
  throw fail(`attribute "${label}" cannot be filtered on`)
}

/** meta.location depends on the request's base URL and meta.version is an ETag: neither is stored. */
const UNFILTERABLE_META = new Set(['location', 'version'])

function columnOperand(mapping: GroupColumn, definition: AttributeDefinition): ScalarOperand {
  return {
    kind: 'scalar',
    expr: sql.ref(`groups.${mapping.column}`),
    type: definition.type,
    caseExact: definition.caseExact,
    folded: mapping.folded === true,
    nullable: mapping.nullable === true,
    integerBoolean: false,
  }
}

function constant(
  value: string,
  type: AttributeType,
  options: { caseExact?: true; folded?: true },
): ScalarOperand {
  return {
    kind: 'scalar',
    expr: sql.lit(value),
    type,
    caseExact: options.caseExact === true,
    folded: options.folded === true,
    nullable: false,
    integerBoolean: false,
  }
}

/** A sub-attribute of a member, as the column of its group_members row (aliased `table`). */
function memberScalar(name: string, table: string, fail: Fail): ScalarOperand {
  const sub = MEMBERS && findSubAttribute(MEMBERS, name)
  if (!sub) throw fail(`unknown attribute "members.${name}"`)
  const column = MEMBER_COLUMNS[sub.name]
  if (!column) {
    throw fail(`"members.${sub.name}" cannot be filtered on: members are stored by value (id) and type only`)
  }
  return {
    kind: 'scalar',
    expr: sql.ref(`${table}.${column}`),
    type: sub.type,
    caseExact: sub.caseExact,
    folded: false,
    nullable: false,
    integerBoolean: false,
  }
}

/** True when the group has a membership row (for which `predicate` holds). */
function anyMember(predicate?: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  const ref = (column: string) => sql.ref(`${MEMBER}.${column}`)
  // Correlated on the primary key's prefix (tenant_id, group_id): a probe, never a scan.
  const ofGroup = sql<SqlBool>`${ref('tenant_id')} = ${sql.ref('groups.tenant_id')} and ${ref('group_id')} = ${sql.ref('groups.id')}`
  const where = predicate ? sql<SqlBool>`${ofGroup} and ${predicate}` : ofGroup
  return sql<SqlBool>`exists (select 1 from ${sql.table('group_members')} as ${sql.id(MEMBER)} where ${where})`
}

function compareMembers(
  operand: MembersOperand,
  op: CompareOperator,
  value: FilterValue,
  context: ComparisonContext,
): RawBuilder<SqlBool> {
  const { element } = operand
  if (value === null) {
    // As evaluate.ts: `eq null` holds when no member has a value; member rows always have one.
    const anyValue = anyMember(present(element, context.dialect))
    if (op === 'eq') return sql<SqlBool>`not (${anyValue})`
    if (op === 'ne') return anyValue
    throw context.fail(`"${op} null" is not a comparison; use "eq null", "ne null" or "pr"`)
  }
  if (op !== 'ne') return anyMember(compareScalar(element, op, value, context))
  // Like evaluate.ts: `ne` holds when the group has no member, or some member's value differs.
  return sql<SqlBool>`(not (${anyMember()}) or ${anyMember(compareScalar(element, 'ne', value, context))})`
}

function valuePath(path: AttributePath, inner: Filter, context: Context): RawBuilder<SqlBool> {
  const { fail } = context
  const label = pathLabel(path)
  if (context.scope.kind !== 'root') throw fail(`a value filter cannot contain another "[" (in "${label}")`)
  const resolved = resolvePath(groupResource, path)
  if (!resolved || path.sub !== undefined) throw fail(`unknown attribute "${label}"`)
  const { attribute } = resolved
  if (attribute.type !== 'complex')
    throw fail(`"${label}" is not a complex attribute; it cannot take a value filter`)
  if (!attribute.multiValued) return compile(inner, { ...context, scope: { kind: 'complex', parent: path } })
  return anyMember(compile(inner, { ...context, scope: { kind: 'member', table: MEMBER } }))
}
