import type { Scope } from './types'

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

export function formatDateTime(iso: string | null | undefined, { seconds = false } = {}): string {
  if (iso === null || iso === undefined) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return (seconds ? dateTimeSeconds : dateTime).format(date)
}

export const SCOPE_LABELS: Record<Scope, string> = {
  scim: 'Provisioning API',
  api: 'Public API',
}

export function formatScopes(scopes: readonly Scope[]): string {
  return scopes.map((scope) => SCOPE_LABELS[scope] ?? scope).join(', ')
}

/** A changed value as text: strings as they are, absent as an em dash, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value === '' ? '""' : value
  return JSON.stringify(value)
}

/** `phoneNumbers` → `Phone numbers`, for attribute names shown as labels. */
export function humanize(name: string): string {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

export function employeeName(employee: {
  displayName: string | null
  givenName?: string | null
  familyName?: string | null
  userName: string
}): string {
  if (employee.displayName) return employee.displayName
  const name = [employee.givenName, employee.familyName].filter(Boolean).join(' ')
  return name === '' ? employee.userName : name
}
