import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'
import type {
  RenderableUser,
  UserColumns,
  UserNameColumns,
  UserRowWithManager,
} from '../store/users-repository.js'
import { isType, managerIdOf } from './user-attributes.js'

type Json = Record<string, unknown>

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function workEmail(resource: Json): string | null {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Json[]) : []
  const work = emails.find((email) => isType(email, 'work') && typeof email.value === 'string')
  return work ? (work.value as string).toLowerCase() : null
}

/** Splits a canonical SCIM user into the typed, indexed columns plus the JSON that round-trips. */
export function userColumns(resource: Json, lastModified: string, version: number): UserColumns {
  const name = (resource.name ?? {}) as Json
  const enterprise = (resource[ENTERPRISE_USER_SCHEMA] ?? {}) as Json
  const userName = resource.userName as string
  return {
    user_name: userName,
    user_name_lower: userName.toLowerCase(),
    external_id: text(resource.externalId),
    work_email_lower: workEmail(resource),
    display_name: text(resource.displayName),
    given_name: text(name.givenName),
    family_name: text(name.familyName),
    title: text(resource.title),
    // RFC 7643 leaves a missing `active` undefined; an employee created without it is active.
    active: resource.active === false ? 0 : 1,
    employee_number: text(enterprise.employeeNumber),
    cost_center: text(enterprise.costCenter),
    organization: text(enterprise.organization),
    division: text(enterprise.division),
    department: text(enterprise.department),
    manager_id: managerIdOf(resource) ?? null,
    last_modified: lastModified,
    version,
    resource: JSON.stringify(resource),
  }
}

export function etagOf(version: number): string {
  return `W/"${version}"`
}

/** The stored canonical resource (no id, no meta). */
export function storedResource(row: Pick<RenderableUser, 'resource'>): Json {
  return JSON.parse(row.resource) as Json
}

/** How a user is named in references to it: displayName, else "given family", else userName. */
export function displayNameOf(user: UserNameColumns): string {
  if (user.display_name) return user.display_name
  const full = [user.given_name, user.family_name].filter(Boolean).join(' ')
  return full || user.user_name
}

/** The manager's name columns of a joined row, or undefined when the row has none. */
export function managerNameOf(row: RenderableUser | UserRowWithManager): string | undefined {
  if (!('manager_user_name' in row) || row.manager_user_name === null) return undefined
  return displayNameOf({
    id: row.manager_id ?? '',
    user_name: row.manager_user_name,
    display_name: row.manager_display_name,
    given_name: row.manager_given_name,
    family_name: row.manager_family_name,
  })
}

/**
 * The SCIM representation a client sees: stored attributes plus id, active and meta, and the
 * manager's readOnly displayName when it is known.
 */
export function renderUser(row: RenderableUser, baseUrl: string, managerName?: string): Json {
  const resource = storedResource(row)
  const rendered: Json = { schemas: resource.schemas, id: row.id, ...resource, active: row.active === 1 }
  const enterprise = resource[ENTERPRISE_USER_SCHEMA] as Json | undefined
  const manager = enterprise?.manager as Json | undefined
  if (enterprise && manager && typeof manager.value === 'string') {
    rendered[ENTERPRISE_USER_SCHEMA] = {
      ...enterprise,
      manager: {
        value: manager.value,
        $ref: `${baseUrl}/Users/${manager.value}`,
        ...(managerName === undefined ? {} : { displayName: managerName }),
      },
    }
  }
  rendered.meta = {
    resourceType: 'User',
    created: row.created,
    lastModified: row.last_modified,
    location: `${baseUrl}/Users/${row.id}`,
    version: etagOf(row.version),
  }
  return rendered
}
