import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/enterprise-user.js'

type Json = Record<string, unknown>

/** Canonical `type` values are lower-case, but clients send "Work" too; indexes and rules must agree with filters. */
export function isType(element: Json, type: string): boolean {
  return typeof element.type === 'string' && element.type.toLowerCase() === type
}

/** The manager id a canonical user points at, if any. */
export function managerIdOf(user: Json): string | undefined {
  const extension = user[ENTERPRISE_USER_SCHEMA] as Json | undefined
  const manager = extension?.manager as Json | undefined
  return typeof manager?.value === 'string' ? manager.value : undefined
}
