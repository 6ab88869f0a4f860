/** What a token may be used for. The SCIM endpoint requires `scim` ("Provisioning API"). */
export const SCOPES = ['scim', 'api'] as const
export type Scope = (typeof SCOPES)[number]

export function parseScopes(text: string): Scope[] {
  const wanted = text
    .split(/[\s,]+/)
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
  const unknown = wanted.filter((scope) => !(SCOPES as readonly string[]).includes(scope))
  if (unknown.length > 0 || wanted.length === 0) {
    throw new TypeError(`scope must be one or more of ${SCOPES.join(', ')}; got "${text}"`)
  }
  return [...new Set(wanted)] as Scope[]
}
