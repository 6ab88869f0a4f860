import { type Expression, sql } from 'kysely'
import { badRequest, type ScimError, type ScimType } from '../scim/errors.js'
import type { AttributePath } from '../scim/filter/ast.js'
import { attr } from '../scim/schema/define.js'
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'
import { findSubAttribute, resolvePath, userResource } from '../scim/schema/registry.js'
import type { AttributeDefinition, AttributeType } from '../scim/schema/types.js'
import type { UserTable } from './database.js'
import {
  type JsonScalarType,
  type JsonSource,
  jsonDocument,
  type SqlDialect,
} from './dialects/sql-dialect.js'

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

export function jsonScalar(
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
