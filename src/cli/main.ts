#!/usr/bin/env node
import { Command } from 'commander'
import { ConfigError } from '../config.js'
import { TenantError } from '../directory/tenants.js'
import { auditCommand } from './audit-command.js'
import { serveCommand } from './serve-command.js'
import { tenantCommands } from './tenant-commands.js'
import { tokenCommands } from './token-commands.js'

const program = new Command('roster')
  .description('Roster: an HR directory provisioned over SCIM 2.0')
  .option('--database-url <url>', 'SQLite file (default ./data/roster.db; env DATABASE_URL)')
  .showHelpAfterError()

serveCommand(program)
tenantCommands(program)
tokenCommands(program)
auditCommand(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // Mistakes of the person at the keyboard get one clear line; anything else is a bug and keeps its stack.
  if (error instanceof ConfigError || error instanceof TenantError || error instanceof TypeError) {
    process.stderr.write(`roster: ${error.message}\n`)
    process.exitCode = 2
  } else {
    throw error
  }
}
