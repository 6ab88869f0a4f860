import { useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { CopyField } from '../../components/CopyField'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Loading } from '../../components/Loading'
import { PageHeader } from '../../components/PageHeader'
import { SecretDialog } from '../../components/SecretDialog'
import { SettingsTabs } from '../../components/SettingsTabs'
import { api, errorMessage } from '../../lib/api'
import { atLeast, useSignedIn } from '../../lib/session'
import type { AccessToken } from '../../lib/types'
import { useApi } from '../../lib/use-api'
import { EntraGuide } from './EntraGuide'
import { NewTokenForm } from './NewTokenForm'
import { TokenTable } from './TokenTable'

export function TokensPage() {
  const session = useSignedIn()
  const tokens = useApi<{ items: AccessToken[] }>('/api/tokens')
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null)
  const [revoking, setRevoking] = useState<AccessToken | null>(null)
  const role = session.account.role

  return (
    <section>
      <PageHeader title="Settings" />
      <SettingsTabs />

      <div className="card">
        <h2>Connect an identity provider</h2>
        <CopyField
          label="Tenant URL"
          value={session.scimUrl}
          hint="The SCIM 2.0 base URL of this tenant: identity providers send users here."
        />
        <EntraGuide />
      </div>

      <div className="card">
        <h2>Access tokens</h2>
        {tokens.error === undefined ? null : <ErrorMessage>{errorMessage(tokens.error)}</ErrorMessage>}
        {tokens.data === undefined ? (
          tokens.loading ? (
            <Loading />
          ) : null
        ) : (
          <TokenTable tokens={tokens.data.items} canRevoke={atLeast(role, 'admin')} onRevoke={setRevoking} />
        )}
      </div>

      <div className="card">
        <h2>New access token</h2>
        {role === 'owner' ? (
          <NewTokenForm
            onCreated={(created) => {
              setSecret({ name: created.token.name, value: created.secret })
              tokens.reload()
            }}
          />
        ) : (
          <p className="notice">
            Only owners can create access tokens. You are signed in as{' '}
            {role === 'admin' ? 'an admin' : 'a viewer'}
            {role === 'admin' ? ', so you can revoke tokens but not create them.' : '.'}
          </p>
        )}
      </div>

      {secret === null ? null : (
        <SecretDialog
          title="Access token created"
          intro={`Paste this token as the Secret Token of “${secret.name}” in your identity provider.`}
          label="Access token"
          value={secret.value}
          warning="Roster keeps only a hash of it: it will not be shown again."
          onClose={() => setSecret(null)}
        />
      )}
      {revoking === null ? null : (
        <ConfirmDialog
          title="Revoke access token?"
          confirmLabel="Revoke token"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await api(`/api/tokens/${encodeURIComponent(revoking.id)}/revoke`, { method: 'POST' })
            tokens.reload()
          }}
        >
          <p>
            “{revoking.name}” stops working at once: anything provisioning with it gets 401 Unauthorized. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}
