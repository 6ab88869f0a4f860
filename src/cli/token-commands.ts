import type { Command } from 'commander'
import { issueAccessToken, listAccessTokens, revokeAccessToken } from '../access/access-tokens.js'
import { parseScopes } from '../access/scopes.js'
import { getTenantBySlug } from '../directory/tenants.js'
import { withDatabase } from './database.js'
import { printJson, printTable } from './output.js'

export function tokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('manage access tokens (the "Secret Token" an identity provider uses)')

  token
    .command('create')
    .description('create an access token; the secret is printed once and only its hash is kept')
    .requiredOption('--tenant <slug>', 'tenant')
    .requiredOption('--name <name>', 'name, e.g. "Entra ID"')
    .option('--description <text>', 'what the token is for', '')
    .option('--scope <scopes>', 'scim (Provisioning API), api (Public API), or both', 'scim')
    .option('--json', 'print {"id","token"} as JSON')
    .action(
      async (options: {
        tenant: string
        name: string
        description: string
        scope: string
        json?: boolean
      }) => {
        const scopes = parseScopes(options.scope)
        const issued = await withDatabase(program.opts().databaseUrl, async (db) => {
          const tenant = await getTenantBySlug(db, options.tenant)
          return issueAccessToken(db, tenant.id, {
            name: options.name,
            description: options.description,
            scopes,
          })
        })
        if (options.json) printJson(issued)
        else {
          process.stdout.write(
            `token ${issued.id} created. Copy it now; it will not be shown again:\n\n  ${issued.token}\n\n`,
          )
        }
      },
    )

  token
    .command('list')
    .description("list a tenant's tokens (never their secrets)")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action(async (options: { tenant: string; json?: boolean }) => {
      const rows = await withDatabase(program.opts().databaseUrl, async (db) => {
        const tenant = await getTenantBySlug(db, options.tenant)
        return listAccessTokens(db, tenant.id)
      })
      const tokens = rows.map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        scope: row.scope,
        hint: row.token_hint,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
        status: row.revoked_at ? 'revoked' : 'active',
      }))
      if (options.json) printJson(tokens)
      else printTable(tokens, ['id', 'name', 'scope', 'hint', 'status', 'createdAt', 'lastUsedAt'])
    })

  token
    .command('revoke <id>')
    .description('revoke a token; requests with it get 401 from then on')
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { tenant: string; json?: boolean }) => {
      const revoked = await withDatabase(program.opts().databaseUrl, async (db) => {
        const tenant = await getTenantBySlug(db, options.tenant)
        return revokeAccessToken(db, tenant.id, id, new Date().toISOString())
      })
      if (!revoked) throw new TypeError(`tenant ${options.tenant} has no active token ${id}`)
      if (options.json) printJson({ id, revoked: true })
      else process.stdout.write(`token ${id} revoked\n`)
    })
}
