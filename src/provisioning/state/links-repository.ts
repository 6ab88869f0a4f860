import type { Db } from '../../store/database.js'
import type { UnresolvedReference } from '../mapping/resolve-references.js'

export type ObjectType = 'user' | 'group'

/** A source object's account in the target, and what the engine remembers about it. */
export interface Link {
  objectType: ObjectType
  sourceId: string
  targetId: string
  /** Hash of the source object last provisioned successfully; null: process it next cycle. */
  sourceHash: string | null
  inScope: boolean
  disabled: boolean
  /** References (manager, members) whose objects are not in the target yet; retried every cycle. */
  unresolved: UnresolvedReference[]
  /**
   * When the source object was first seen gone (ISO), while the delete grace period (`deleteAfterDays`)
   * runs; null otherwise (groups have no grace period).
   */
  goneSince: string | null
}

export const linkKey = (objectType: ObjectType, sourceId: string) => `${objectType}:${sourceId}`

/** Every link of a job, by `linkKey`: one read per cycle, then the cycle keeps it current. */
export async function loadLinks(db: Db, jobId: string): Promise<Map<string, Link>> {
  const rows = await db.selectFrom('provisioning_links').selectAll().where('job_id', '=', jobId).execute()
  const links = new Map<string, Link>()
  for (const row of rows) {
    const link: Link = {
      objectType: row.object_type === 'group' ? 'group' : 'user',
      sourceId: row.source_id,
      targetId: row.target_id,
      sourceHash: row.source_hash,
      inScope: Number(row.in_scope) === 1,
      disabled: Number(row.disabled) === 1,
      unresolved: row.unresolved ? (JSON.parse(row.unresolved) as UnresolvedReference[]) : [],
      goneSince: row.gone_since ?? null,
    }
    links.set(linkKey(link.objectType, link.sourceId), link)
  }
  return links
}

/** Written as soon as an object is done (a create's link right after the POST): the crash-safe state. */
export async function saveLink(db: Db, jobId: string, link: Link, now = new Date()): Promise<void> {
  const values = {
    target_id: link.targetId,
    source_hash: link.sourceHash,
    in_scope: link.inScope ? 1 : 0,
    disabled: link.disabled ? 1 : 0,
    unresolved: link.unresolved.length > 0 ? JSON.stringify(link.unresolved) : null,
    gone_since: link.goneSince,
    updated_at: now.toISOString(),
  }
  await db
    .insertInto('provisioning_links')
    .values({ job_id: jobId, object_type: link.objectType, source_id: link.sourceId, ...values })
    .onConflict((conflict) => conflict.columns(['job_id', 'object_type', 'source_id']).doUpdateSet(values))
    .execute()
}

export async function deleteLink(
  db: Db,
  jobId: string,
  objectType: ObjectType,
  sourceId: string,
): Promise<void> {
  await db
    .deleteFrom('provisioning_links')
    .where('job_id', '=', jobId)
    .where('object_type', '=', objectType)
    .where('source_id', '=', sourceId)
    .execute()
}

/** "Reset": forget every link, so the next cycle matches all accounts afresh. */
export async function deleteAllLinks(db: Db, jobId: string): Promise<void> {
  await db.deleteFrom('provisioning_links').where('job_id', '=', jobId).execute()
}
