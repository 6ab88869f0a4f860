import type { Insertable } from 'kysely'
import { insertFailedWrite } from '../store/activity-query.js'
import type { AuditEventTable } from '../store/database.js'
import { sqlDialectOf } from '../store/dialects/sql-dialect-of.js'
import { compileMemberValueFilter } from '../store/group-filter-sql.js'
import { createGroup, deleteGroup, type GroupsContext, patchGroup, replaceGroup } from './groups-service.js'
import { createUser, type DirectoryContext, deleteUser, patchUser, replaceUser } from './users-service.js'
import { writeThreadFor } from './write-thread.js'

function withMemberFilter(ctx: DirectoryContext): GroupsContext {
  const dialect = sqlDialectOf(ctx.db)
  return { ...ctx, memberFilter: (filter, text) => compileMemberValueFilter(filter, dialect, text) }
}

/**
 * Every write of the directory that a SCIM request makes, by name: what a request asks for can be
 * carried out here or, on a SQLite file, on the write thread (write-thread.ts). Arguments and
 * results are plain data (JSON bodies, rows), so they cross threads as they are.
 */
export const writeCommands = {
  createUser: (ctx: DirectoryContext, body: unknown) => createUser(ctx, body),
  replaceUser: (ctx: DirectoryContext, id: string, body: unknown, ifMatch?: string) =>
    replaceUser(ctx, id, body, ifMatch),
  patchUser: (ctx: DirectoryContext, id: string, body: unknown, ifMatch?: string) =>
    patchUser(ctx, id, body, ifMatch),
  deleteUser: (ctx: DirectoryContext, id: string, ifMatch?: string) => deleteUser(ctx, id, ifMatch),
  createGroup: (ctx: DirectoryContext, body: unknown) => createGroup(withMemberFilter(ctx), body),
  replaceGroup: (ctx: DirectoryContext, id: string, body: unknown, ifMatch?: string) =>
    replaceGroup(withMemberFilter(ctx), id, body, ifMatch),
  patchGroup: (ctx: DirectoryContext, id: string, body: unknown, ifMatch?: string) =>
    patchGroup(withMemberFilter(ctx), id, body, ifMatch),
  deleteGroup: (ctx: DirectoryContext, id: string, ifMatch?: string) =>
    deleteGroup(withMemberFilter(ctx), id, ifMatch),
  /** A refused write, as activity: written by the same writer, so it never waits on the write lock. */
  recordRefusedWrite: (
    ctx: DirectoryContext,
    row: Omit<Insertable<AuditEventTable>, 'seq' | 'outcome' | 'changes'>,
  ) => insertFailedWrite(ctx.db, row),
}

export type WriteCommands = typeof writeCommands
export type WriteCommandName = keyof WriteCommands
type Rest<F> = F extends (ctx: DirectoryContext, ...args: infer A) => unknown ? A : never

/** Carries out `command` for `ctx` — on the write thread when the database has one. */
export function executeWrite<K extends WriteCommandName>(
  ctx: DirectoryContext,
  command: K,
  ...args: Rest<WriteCommands[K]>
): ReturnType<WriteCommands[K]> {
  const thread = writeThreadFor(ctx.db)
  if (thread) return thread.call(ctx, command, args) as ReturnType<WriteCommands[K]>
  const run = writeCommands[command] as (ctx: DirectoryContext, ...args: unknown[]) => unknown
  return run(ctx, ...args) as ReturnType<WriteCommands[K]>
}
