import type { Command } from 'commander'
import { parseHrRules } from '../directory/hr-rules.js'
import { allTenants, createTenant } from '../directory/tenants.js'
import { withDatabase } from './database.js'
import { printJson, printTable } from './output.js'

export function tenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (companies)')

  tenant
    .command('create <slug>')
    .description('create a tenant; its SCIM tenant URL is <public URL>/scim/v2')
    .option('--name <name>', 'display name (defaults to the slug)')
    .option(
      '--rules <rules>',
      'HR data rules: "alexis" (names, work email required; E.164 phones) or "rfc"',
      'alexis',
    )
    .option('--json', 'print JSON')
    .action(async (slug: string, options: { name?: string; rules: string; json?: boolean }) => {
      const created = await withDatabase(program.opts().databaseUrl, (db) =>
        createTenant(db, { slug, name: options.name, rules: parseHrRules(options.rules) }),
      )
      if (options.json) printJson(created)
      else process.stdout.write(`tenant ${created.slug} created (id ${created.id}, rules ${created.rules})\n`)
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
