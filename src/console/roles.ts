/** Console roles, each including the rights of the ones below it. */
export const ROLES = ['owner', 'admin', 'viewer'] as const
export type Role = (typeof ROLES)[number]

const RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 }

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True when `role` has at least the rights of `needed`. */
export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed]
}

/** Who may invite whom: an admin brings in viewers and admins; only an owner makes owners. */
export function mayInvite(inviter: Role, invitee: Role): boolean {
  return inviter === 'owner' || (inviter === 'admin' && invitee !== 'owner')
}
