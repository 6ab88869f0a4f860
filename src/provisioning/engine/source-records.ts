import type { SourceGroup, SourceUser } from '../source/connector.js'

/**
 * The record a mapping reads for a source object: its attributes under Entra's names, plus what
 * Entra exposes beside them (`objectId`; `employeeOrgData.costCenter|division` for sources that
 * hold them flat, as the directory file does).
 */
export function userRecord(user: SourceUser): Record<string, unknown> {
  const { costCenter, division } = user.attributes
  const record: Record<string, unknown> = { ...user.attributes, objectId: user.id }
  if (costCenter != null || division != null) record['employeeOrgData'] = { costCenter, division }
  return record
}

export function groupRecord(group: SourceGroup): Record<string, unknown> {
  return {
    ...group.attributes,
    objectId: group.id,
    displayName: group.displayName,
    members: [...group.members],
  }
}

/** Soft-deleted or sign-in blocked: in scope, but its account is disabled (and never created). */
export function isDisabledInSource(user: SourceUser): boolean {
  return user.softDeleted === true || user.attributes['accountEnabled'] === false
}

export function userDisplayName(user: SourceUser): string | null {
  const { displayName, userPrincipalName } = user.attributes
  return typeof displayName === 'string'
    ? displayName
    : typeof userPrincipalName === 'string'
      ? userPrincipalName
      : null
}
