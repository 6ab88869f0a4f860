import { useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { SecretDialog } from '../../components/SecretDialog'
import { SettingsTabs } from '../../components/SettingsTabs'
import { api, errorMessage } from '../../lib/api'
import { atLeast, useSignedIn } from '../../lib/session'
import type { Account, Role } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { AccountTable } from './AccountTable'
import { InviteForm } from './InviteForm'

type Pending = { kind: 'demote'; account: Account; role: Role } | { kind: 'remove'; account: Account }

export function AccountsPage() {
  const session = useSignedIn()
  const accounts = useApi<{ items: Account[] }>('/api/accounts')
  const [inviteLink, setInviteLink] = useState<{ email: string; url: string } | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [error, setError] = useState<unknown>(undefined)
  const role = session.account.role

  const changeRole = async (account: Account, next: Role) => {
    setError(undefined)
    try {
      await api(`/api/accounts/${encodeURIComponent(account.id)}`, { method: 'PATCH', body: { role: next } })
    } catch (failure) {
      setError(failure)
    }
    accounts.reload()
  }

  return (
    <section>
      <PageHeader title="Settings" />
      <SettingsTabs />

      {atLeast(role, 'admin') ? (
        <div className="card">
          <h2>Invite someone</h2>
          <InviteForm role={role} onInvited={(email, url) => setInviteLink({ email, url })} />
        </div>
      ) : null}

      <div className="card">
        <h2>Accounts</h2>
        {role === 'owner' ? null : <p className="notice">Only owners can change roles or remove accounts.</p>}
        {error === undefined ? null : <ErrorMessage>{errorMessage(error)}</ErrorMessage>}
        {accounts.error === undefined ? null : <ErrorMessage>{errorMessage(accounts.error)}</ErrorMessage>}
        {accounts.data === undefined ? (
          accounts.loading ? (
            <Loading />
          ) : null
        ) : (
          <AccountTable
            accounts={accounts.data.items}
            selfId={session.account.id}
            canManage={role === 'owner'}
            onRoleChange={(account, next) => {
              // Demoting an owner has a side effect worth a confirmation: their tokens are revoked.
              if (account.role === 'owner' && next !== 'owner')
                setPending({ kind: 'demote', account, role: next })
              else void changeRole(account, next)
            }}
            onRemove={(account) => setPending({ kind: 'remove', account })}
          />
        )}
      </div>

      {inviteLink === null ? null : (
        <SecretDialog
          title="Invitation created"
          intro={`Send this setup link to ${inviteLink.email}. It works once and expires in 7 days.`}
          label="Setup link"
          value={inviteLink.url}
          warning="Roster keeps only a hash of the link: it will not be shown again."
          onClose={() => {
            setInviteLink(null)
            accounts.reload()
          }}
        />
      )}
      {pending?.kind === 'demote' ? (
        <ConfirmDialog
          title={`Make ${pending.account.displayName} ${pending.role === 'admin' ? 'an admin' : 'a viewer'}?`}
          confirmLabel="Change role"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api(`/api/accounts/${encodeURIComponent(pending.account.id)}`, {
              method: 'PATCH',
              body: { role: pending.role },
            })
            accounts.reload()
          }}
        >
          <p>Every access token {pending.account.displayName} created is revoked at once.</p>
        </ConfirmDialog>
      ) : null}
      {pending?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${pending.account.displayName}?`}
          confirmLabel="Remove account"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await api(`/api/accounts/${encodeURIComponent(pending.account.id)}`, { method: 'DELETE' })
            accounts.reload()
          }}
        >
          <p>
            {pending.account.email} can no longer sign in, and every access token they created is revoked.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  )
}
