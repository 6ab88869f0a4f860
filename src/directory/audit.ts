import type { AttributeChange } from '../scim/resource/diff.js'
import { insertAuditEvent } from '../store/audit-repository.js'
import type { Db } from '../store/database.js'

export type AuditOperation = 'create' | 'replace' | 'patch' | 'delete'

export interface Actor {
  tokenId: string | null
  requestId: string | null
}

/** Records one write in the tenant's audit trail, inside the caller's transaction. */
export async function recordAudit(
  db: Db,
  tenantId: string,
  actor: Actor,
  event: { operation: AuditOperation; resourceType: string; resourceId: string; changes: AttributeChange[] },
): Promise<void> {
  await insertAuditEvent(db, {
    tenant_id: tenantId,
    at: new Date().toISOString(),
    token_id: actor.tokenId,
    request_id: actor.requestId,
    operation: event.operation,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    changes: JSON.stringify(event.changes),
  })
}
