#!/usr/bin/env node
import { Command } from 'commander'
import { ConfigError } from '../config.js'
import { TenantError } from '../directory/tenants.js'
import { isConnectionFailure } from '../store/errors.js'
import { MigrationError, SchemaVersionError } from '../store/migrate.js'
import { auditCommand } from './audit-command.js'
import { migrateCommand } from './migrate-command.js'
import { provisionCommands } from './provision-commands.js'
import { serveCommand } from './serve-command.js'
import { tenantCommands } from './tenant-commands.js'
import { tokenCommands } from './token-commands.js'

// `roster … | head` closes the pipe early: that is the reader being done, not an error to crash on.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

const program = new Command('roster')
  .description('Roster: an HR directory provisioned over SCIM 2.0')
  .option(
    '--database-url <url>',
    'SQLite file (default ./data/roster.db) or postgres://user@host:5432/db (env DATABASE_URL)',
  )
  .showHelpAfterError()

serveCommand(program)
migrateCommand(program)
tenantCommands(program)
tokenCommands(program)
auditCommand(program)
provisionCommands(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // Mistakes of the person at the keyboard get one clear line; anything else is a bug and keeps its stack.
  if (error instanceof ConfigError || error instanceof TenantError || error instanceof TypeError) {
    process.stderr.write(`roster: ${error.message}\n`)
    process.exitCode = 2
  } else if (error instanceof SchemaVersionError || error instanceof MigrationError) {
    // The operator's next step is in the message; exit 3 lets deploy scripts tell it from a typo.
    process.stderr.write(`roster: ${error.message}\n`)
    process.exitCode = 3
  } else if (isConnectionFailure(error)) {
    // Node reports a refused connection as an AggregateError without a message; its code says it.
    const { code, message } = error as { code?: string; message?: string }
    process.stderr.write(`roster: cannot reach the database (${message || code || 'connection failed'})\n`)
    process.exitCode = 4
  } else {
    throw error
  }
}
