import type { Command } from 'commander'
import { auditChangesOf } from '../directory/audit.js'
import { getTenantBySlug } from '../directory/tenants.js'
import { listAuditEvents } from '../store/audit-repository.js'
import { withDatabase } from './database.js'
import { printJson } from './output.js'

export function auditCommand(program: Command): void {
  program
    .command('audit')
    .description("print a tenant's audit trail, newest first")
    .requiredOption('--tenant <slug>', 'tenant')
    .option('--resource <id>', 'only events of this resource')
    .option('--limit <n>', 'how many events', '50')
    .option('--json', 'print JSON')
    .action(async (options: { tenant: string; resource?: string; limit: string; json?: boolean }) => {
      const limit = Number.parseInt(options.limit, 10)
      if (!Number.isInteger(limit) || limit < 1) throw new TypeError('--limit must be a positive integer')
      const events = await withDatabase(program.opts().databaseUrl, async (db) => {
        const tenant = await getTenantBySlug(db, options.tenant)
        return listAuditEvents(db, tenant.id, { resourceId: options.resource, limit })
      })
      const rows = events.map((event) => ({
        seq: event.seq,
        at: event.at,
        operation: event.operation,
        resourceType: event.resource_type,
        resourceId: event.resource_id,
        tokenId: event.token_id,
        requestId: event.request_id,
        changes: auditChangesOf(event.changes),
      }))
      if (options.json) return printJson(rows)
      for (const row of rows) {
        process.stdout.write(
          `${row.at}  ${row.operation.padEnd(7)} ${row.resourceType} ${row.resourceId}  token ${row.tokenId ?? '-'}\n`,
        )
        for (const change of row.changes) {
          process.stdout.write(
            `    ${change.path}: ${JSON.stringify(change.old) ?? '∅'} → ${JSON.stringify(change.new) ?? '∅'}\n`,
          )
        }
      }
    })
}
