import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { KNOWN_MIGRATIONS, migrateToLatest } from '../store/migrate.js'
import { openStore } from '../store/open.js'
import { printJson } from './output.js'

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      "apply the database's pending migrations (run it before starting upgraded nodes); refuses a newer schema",
    )
    .option('--json', 'print {"applied": [...], "latest": ...} as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig(process.env, { DATABASE_URL: program.opts().databaseUrl })
      // Opened without migrating, so what migrateToLatest applies is what this command reports.
      const db = await openStore({ databaseUrl: config.databaseUrl, migrate: false, postgres: { max: 1 } })
      let applied: string[]
      try {
        applied = await migrateToLatest(db)
      } finally {
        await db.destroy()
      }
      const latest = KNOWN_MIGRATIONS.at(-1) ?? null
      if (options.json) return printJson({ applied, latest })
      for (const name of applied) process.stdout.write(`applied ${name}\n`)
      process.stdout.write(
        `${applied.length === 0 ? 'nothing to apply; ' : ''}the schema is up to date (${latest})\n`,
      )
    })
}
