/** The short version of the README's "Point Microsoft Entra ID at Roster". */
export function EntraGuide() {
  return (
    <details className="guide" open>
      <summary>Connect Microsoft Entra ID</summary>
      <ol>
        <li>
          In the Entra admin center, open <strong>Enterprise applications</strong> →{' '}
          <strong>New application</strong> → <em>Create your own application</em> (non-gallery).
        </li>
        <li>
          Open <strong>Provisioning</strong> → <em>Get started</em> and set the mode to{' '}
          <strong>Automatic</strong>.
        </li>
        <li>
          Paste the <strong>Tenant URL</strong> above, and an access token with the Provisioning API scope as
          the <strong>Secret Token</strong> (create one below).
        </li>
        <li>
          Click <strong>Test Connection</strong>, keep the default attribute mappings, assign users and turn
          provisioning <strong>On</strong>.
        </li>
      </ol>
      <p className="hint">Entra needs HTTPS with a publicly trusted certificate in front of Roster.</p>
    </details>
  )
}
