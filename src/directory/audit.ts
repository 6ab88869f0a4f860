import { type AttributeChange, diffResources } from '../scim/resource/diff.js'
import { isPlainObject } from '../scim/resource/json.js'
import {
  type AuditedTable,
  auditHeadOf,
  findDeletedAuditHead,
  insertAuditEvent,
  keepDeletedAuditHead,
  setAuditHead,
} from '../store/audit-repository.js'
import type { Db } from '../store/database.js'

export type AuditOperation = 'create' | 'replace' | 'patch' | 'delete'

export interface Actor {
  tokenId: string | null
  requestId: string | null
}

const TABLE_OF: Record<string, AuditedTable> = { User: 'users', Group: 'groups' }

export interface AuditEvent {
  operation: AuditOperation
  resourceType: 'User' | 'Group'
  resourceId: string
  /**
   * The changed attributes, old → new; or, for a create, the new resource's JSON text (`created`):
   * its changes are every attribute, null → value, so the text the row stores anyway says the same
   * in half the bytes, without serialising them again. auditChangesOf expands it.
   */
  changes: AttributeChange[] | { created: string }
}

/** The text an event's `changes` are stored as (auditChangesOf reads it back). */
export function storedChanges(changes: AuditEvent['changes']): string {
  return Array.isArray(changes) ? JSON.stringify(changes) : `{"created":${changes.created}}`
}

/** An event's stored `changes` as the list of changed attributes, whichever form it was stored in. */
export function auditChangesOf(stored: string): AttributeChange[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(stored)
  } catch {
    return []
  }
  if (Array.isArray(parsed)) return parsed as AttributeChange[]
  if (isPlainObject(parsed) && isPlainObject(parsed.created)) return diffResources(undefined, parsed.created)
  return []
}

/**
 * Appends one write to the tenant's audit trail, inside the caller's transaction, as the newest
 * link of the resource's history (migration 0008): it points at `previous`, the resource's head
 * (null for a new resource). Answers its seq, which the caller must make the new head in the row it
 * writes — the hot paths (create, PATCH, PUT of a user) do so in their own INSERT or UPDATE.
 */
export async function appendAuditEvent(
  db: Db,
  tenantId: string,
  actor: Actor,
  event: AuditEvent,
  previous: number | null,
): Promise<number> {
  return insertAuditEvent(db, {
    tenant_id: tenantId,
    at: new Date().toISOString(),
    token_id: actor.tokenId,
    request_id: actor.requestId,
    operation: event.operation,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    changes: storedChanges(event.changes),
    prev_seq: previous,
  })
}

/**
 * appendAuditEvent for a resource whose row the caller does not rewrite itself: reads its head and
 * moves it — in the resource's row, which the write has changed already (so it costs no page of its
 * own), or, for a delete, to audit_heads. A delete must be recorded before its row is removed.
 */
export async function recordAudit(db: Db, tenantId: string, actor: Actor, event: AuditEvent): Promise<void> {
  const table = TABLE_OF[event.resourceType] as AuditedTable
  const live = await auditHeadOf(db, table, tenantId, event.resourceId)
  const previous = live === undefined ? await findDeletedAuditHead(db, tenantId, event.resourceId) : live
  const seq = await appendAuditEvent(db, tenantId, actor, event, previous ?? null)
  if (live !== undefined && event.operation !== 'delete') {
    await setAuditHead(db, table, tenantId, event.resourceId, seq)
  } else {
    await keepDeletedAuditHead(db, tenantId, event.resourceId, seq)
  }
}
