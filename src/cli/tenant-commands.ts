import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { issueOwnerSetupUrl } from '../console/setup-links.js'
import { parseHrRules } from '../directory/hr-rules.js'
import { allTenants, createTenant, getTenantBySlug } from '../directory/tenants.js'
import { withDatabase } from './database.js'
import { printJson, printTable } from './output.js'

export function tenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (companies)')

  tenant
    .command('create <slug>')
    .description('create a tenant and print the setup link of its first console owner')
    .option('--name <name>', 'display name (defaults to the slug)')
    .option(
      '--rules <rules>',
      'HR data rules: "alexis" (names, work email required; E.164 phones) or "rfc"',
      'alexis',
    )
    .option('--json', 'print JSON')
    .action(async (slug: string, options: { name?: string; rules: string; json?: boolean }) => {
      const config = loadConfig(process.env, { DATABASE_URL: program.opts().databaseUrl })
      const rules = parseHrRules(options.rules)
      const { created, link } = await withDatabase(program.opts().databaseUrl, async (db) => {
        const created = await createTenant(db, { slug, name: options.name, rules })
        const link = await issueOwnerSetupUrl(db, created.id, config.publicUrl, config.setupLinkDays)
        return { created, link }
      })
      if (options.json) printJson({ ...created, setupUrl: link.setupUrl, setupUrlExpiresAt: link.expiresAt })
      else {
        process.stdout.write(
          `tenant ${created.slug} created (id ${created.id}, rules ${created.rules})\n\n` +
            `Its first console owner signs up here (one use, until ${link.expiresAt}):\n\n  ${link.setupUrl}\n\n`,
        )
      }
    })

  tenant
    .command('setup-link <slug>')
    .description('issue a new owner setup link for a tenant (e.g. when every owner is locked out)')
    .option('--json', 'print JSON')
    .action(async (slug: string, options: { json?: boolean }) => {
      const config = loadConfig(process.env, { DATABASE_URL: program.opts().databaseUrl })
      const link = await withDatabase(program.opts().databaseUrl, async (db) => {
        const found = await getTenantBySlug(db, slug)
        return issueOwnerSetupUrl(db, found.id, config.publicUrl, config.setupLinkDays)
      })
      if (options.json) printJson({ tenant: slug, setupUrl: link.setupUrl, expiresAt: link.expiresAt })
      else
        process.stdout.write(
          `owner setup link for ${slug} (one use, until ${link.expiresAt}):\n\n  ${link.setupUrl}\n\n`,
        )
    })

  tenant
    .command('list')
    .description('list tenants')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const tenants = await withDatabase(program.opts().databaseUrl, allTenants)
      if (options.json) printJson(tenants)
      else
        printTable(tenants as unknown as Record<string, unknown>[], [
          'slug',
          'name',
          'rules',
          'id',
          'createdAt',
        ])
    })
}
