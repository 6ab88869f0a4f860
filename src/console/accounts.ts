import {
  type ConsoleAccountRow,
  deleteConsoleAccount,
  findConsoleAccountByEmail,
  findConsoleAccountById,
  listConsoleAccounts,
  lockOwnerIds,
  updateConsoleAccountRole,
} from '../store/console-accounts-repository.js'
import { deleteAccountSessions } from '../store/console-sessions-repository.js'
import type { Db } from '../store/database.js'
import { revokeTokensCreatedBy } from '../store/tokens-repository.js'
import { conflict, forbidden, invalidValue, notFound } from './console-error.js'
import { checkEmail } from './fields.js'
import { isRole, mayInvite, ROLES, type Role } from './roles.js'
import { issueSetupLink } from './setup-links.js'

export interface ConsoleAccount {
  id: string
  tenantId: string
  email: string
  displayName: string
  role: Role
  createdAt: string
  lastLoginAt: string | null
}

export function toAccount(row: ConsoleAccountRow): ConsoleAccount {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    // A role this build does not know gets the fewest rights rather than an error.
    role: isRole(row.role) ? row.role : 'viewer',
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  }
}

export async function listAccounts(db: Db, tenantId: string): Promise<ConsoleAccount[]> {
  return (await listConsoleAccounts(db, tenantId)).map(toAccount)
}

export function parseRole(value: unknown, field = 'role'): Role {
  if (!isRole(value)) throw invalidValue(field, `must be one of ${ROLES.join(', ')}`)
  return value
}

/** An invitation: a setup link bound to the invitee's email, for a role the inviter may give. */
export async function inviteAccount(
  db: Db,
  inviter: ConsoleAccount,
  input: { email: unknown; role: unknown },
  days: number,
): Promise<{ code: string; expiresAt: string }> {
  const email = checkEmail(input.email)
  const role = parseRole(input.role)
  if (!mayInvite(inviter.role, role))
    throw forbidden(`role ${inviter.role} cannot invite an account with role ${role}`)
  if (await findConsoleAccountByEmail(db, inviter.tenantId, email.toLowerCase())) {
    throw conflict(`an account with email ${email} exists already`)
  }
  return issueSetupLink(db, inviter.tenantId, { role, email, days })
}

/** What a role change or removal did, besides the account itself. */
export interface AccountChange {
  account: ConsoleAccount
  /** Tokens the account had created and that died with its owner rights (to evict from caches). */
  revokedTokenIds: string[]
}

async function loadForChange(db: Db, tenantId: string, id: string): Promise<ConsoleAccountRow> {
  const row = await findConsoleAccountById(db, tenantId, id)
  if (!row) throw notFound(`no account ${id}`)
  return row
}

/** Owners only. Demoting an owner revokes its tokens in the same transaction; the last owner stays. */
export async function changeRole(db: Db, tenantId: string, id: string, role: Role): Promise<AccountChange> {
  return db.transaction().execute(async (trx) => {
    const owners = await lockOwnerIds(trx, tenantId)
    const row = await loadForChange(trx, tenantId, id)
    let revokedTokenIds: string[] = []
    if (row.role === 'owner' && role !== 'owner') {
      if (owners.length <= 1) throw conflict('the last owner cannot be demoted; make another owner first')
      revokedTokenIds = await revokeTokensCreatedBy(trx, tenantId, id, new Date().toISOString())
    }
    if (row.role !== role) await updateConsoleAccountRole(trx, tenantId, id, role)
    return { account: toAccount({ ...row, role }), revokedTokenIds }
  })
}

/** Owners only. Removes the account, its sessions and (revoked) its tokens' rights; the last owner stays. */
export async function removeAccount(db: Db, tenantId: string, id: string): Promise<AccountChange> {
  return db.transaction().execute(async (trx) => {
    const owners = await lockOwnerIds(trx, tenantId)
    const row = await loadForChange(trx, tenantId, id)
    if (row.role === 'owner' && owners.length <= 1) {
      throw conflict('the last owner cannot be removed; make another owner first')
    }
    const revokedTokenIds = await revokeTokensCreatedBy(trx, tenantId, id, new Date().toISOString())
    await deleteAccountSessions(trx, tenantId, id)
    await deleteConsoleAccount(trx, tenantId, id)
    return { account: toAccount(row), revokedTokenIds }
  })
}
