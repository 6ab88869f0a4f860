import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { holdSqliteConnection, sqliteHandleOf, sqliteReaderOf } from './dialects/sqlite.js'
import type { TurnSnapshot } from './dialects/sqlite-turn-snapshot.js'

/**
 * One request's writes: runs on `trx` (the only handle it may use) and either completes or throws.
 * It must not start transactions, must not use the root Kysely instance (on SQLite that waits for
 * the connection the unit is holding: a deadlock), and should not wait for anything but `trx`.
 */
export type WriteUnit<T> = (trx: Kysely<Database>) => Promise<T>

/**
 * Runs `unit` atomically and resolves with its result once its writes are committed (durable);
 * rejects with the unit's own error (its writes undone) or with the error of the COMMIT that was
 * to hold them. Every write of the directory goes through here.
 *
 * On SQLite, concurrent units share one transaction — batched commit. Much of a write's cost is
 * per COMMIT: every page it dirtied is appended to the WAL, and writes of one batch share pages
 * (the ends of the tables and of the time-ordered indexes). A POST's SQL costs ~130 µs of CPU
 * alone and ~75 µs in a batch of 16. The design:
 *
 * - A batch holds Kysely's single connection (`db.connection()`) from BEGIN IMMEDIATE to COMMIT.
 *   Every other query goes through the same connection mutex, so nothing outside the batch can
 *   read its uncommitted rows (and no other write interleaves with it).
 * - Units run one after another, each in a SAVEPOINT: a unit that throws is rolled back to it and
 *   fails alone; the others stay in the batch. Each sees the writes of the units before it, as it
 *   would see them committed if it ran a moment later.
 * - The batch commits on the macrotask after BEGIN (setImmediate: every request that arrived in
 *   this turn of the event loop has had its chance to join) or at MAX_UNITS_PER_BATCH units, and
 *   only then are its units answered. A failed COMMIT (rolled back) fails every unit of the batch.
 * - Units arriving while a batch is committing open the next one, which waits for the connection.
 *
 * On other dialects (PostgreSQL, issue 4) each unit is its own transaction; they have real
 * concurrency and commit in parallel.
 */
export function runWrite<T>(db: Kysely<Database>, unit: WriteUnit<T>): Promise<T> {
  const handle = sqliteHandleOf(db)
  if (!handle) return db.transaction().execute(unit)
  let batcher = batchers.get(db)
  if (!batcher) {
    batcher = {
      db,
      handle,
      control: controlStatements(handle),
      readSnapshot: sqliteReaderOf(db)?.snapshot,
      open: undefined,
    }
    batchers.set(db, batcher)
  }
  if (!batcher.open?.accepting) batcher.open = new Batch(batcher)
  return batcher.open.add(unit)
}

/** Enough to amortise the COMMIT; small enough that one batch never holds the connection long. */
export const MAX_UNITS_PER_BATCH = 64

interface Batcher {
  db: Kysely<Database>
  handle: SQLite.Database
  control: Control
  /** The read-only connection's per-turn transaction, if the database has one. */
  readSnapshot: TurnSnapshot | undefined
  open: Batch | undefined
}

const batchers = new WeakMap<Kysely<Database>, Batcher>()

/**
 * The statements a batch runs itself, prepared once per connection; and the pragmas that switch
 * temp storage to memory for the batch. Units run in SAVEPOINTs, so every page they touch is first
 * copied to a sub-journal, which SQLite spills to a temp file past 64 KB: a pwrite per page, more
 * than the WAL costs. With temp_store = MEMORY (read when the transaction begins) it stays a
 * memcpy; it is restored after the batch, because in memory SQLite's sorter would never spill a
 * large ORDER BY to disk. (A PRAGMA acts when it is compiled, hence pragma() and not a statement.)
 */
interface Control {
  memoryTemp(): void
  restoreTemp(): void
  begin: SQLite.Statement
  commit: SQLite.Statement
  rollback: SQLite.Statement
  savepoint: SQLite.Statement
  release: SQLite.Statement
  rollbackTo: SQLite.Statement
}

function controlStatements(handle: SQLite.Database): Control {
  const tempStore = Number(handle.pragma('temp_store', { simple: true }))
  return {
    memoryTemp: () => handle.pragma('temp_store = MEMORY'),
    restoreTemp: () => handle.pragma(`temp_store = ${tempStore}`),
    begin: handle.prepare('begin immediate'),
    commit: handle.prepare('commit'),
    rollback: handle.prepare('rollback'),
    savepoint: handle.prepare('savepoint write_unit'),
    release: handle.prepare('release write_unit'),
    rollbackTo: handle.prepare('rollback to write_unit'),
  }
}

interface Pending {
  unit: WriteUnit<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

class Batch {
  readonly #handle: SQLite.Database
  readonly #control: Control
  readonly #queue: Pending[] = []
  /** Units that completed: answered after the COMMIT. */
  readonly #done: { pending: Pending; value: unknown }[] = []
  #units = 0
  #sealed = false
  #wake: (() => void) | undefined
  readonly #readSnapshot: TurnSnapshot | undefined

  constructor({ db, handle, control, readSnapshot }: Batcher) {
    this.#handle = handle
    this.#control = control
    this.#readSnapshot = readSnapshot
    db.connection()
      .execute((trx) => this.#run(trx))
      .catch((error: unknown) => this.#fail(error))
  }

  get accepting(): boolean {
    return !this.#sealed
  }

  add<T>(unit: WriteUnit<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ unit, resolve: resolve as (value: unknown) => void, reject })
      if (++this.#units >= MAX_UNITS_PER_BATCH) this.#sealed = true
      this.#notify()
    })
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  // Kysely's mutex is held from here to the end: the connection is ours, so the batch's own
  // statements and the units' prepared statements (prepared-query.ts) go straight to better-sqlite3.
  async #run(trx: Kysely<Database>): Promise<void> {
    const release = holdSqliteConnection(trx, this.#handle)
    try {
      this.#control.memoryTemp()
      this.#control.begin.run()
      try {
        setImmediate(() => {
          this.#sealed = true
          this.#notify()
        })
        for (;;) {
          const pending = this.#queue.shift()
          if (pending) await this.#runUnit(trx, pending)
          else if (this.#sealed) break
          else await new Promise<void>((resolve) => (this.#wake = resolve))
        }
        this.#control.commit.run()
      } catch (error) {
        // COMMIT (or a savepoint) failed: nothing of the batch may stay. A failed COMMIT leaves the
        // transaction open; some errors have already rolled it back, hence the check.
        if (this.#handle.inTransaction) this.#control.rollback.run()
        throw error
      }
    } finally {
      release()
      // Outside any transaction again (SQLite refuses the change inside one). Best effort: a
      // connection that cannot run a pragma has already failed the batch.
      try {
        if (!this.#handle.inTransaction) this.#control.restoreTemp()
      } catch {}
    }
    // Reads that follow an answered write must see it: end the readers' snapshot of this turn.
    this.#readSnapshot?.end()
    for (const { pending, value } of this.#done) pending.resolve(value)
  }

  async #runUnit(trx: Kysely<Database>, pending: Pending): Promise<void> {
    this.#control.savepoint.run()
    let value: unknown
    try {
      value = await pending.unit(trx)
    } catch (error) {
      pending.reject(error)
      // Some errors (SQLITE_FULL, IOERR…) roll back the whole transaction: then ROLLBACK TO fails
      // and so does the batch.
      this.#control.rollbackTo.run()
      this.#control.release.run()
      return
    }
    // A unit that swallowed such an error would go on writing outside any transaction.
    if (!this.#handle.inTransaction) throw new Error('write unit: the batch transaction ended early')
    this.#control.release.run()
    this.#done.push({ pending, value })
  }

  #fail(error: unknown): void {
    this.#sealed = true
    for (const pending of this.#queue.splice(0)) pending.reject(error)
    for (const { pending } of this.#done.splice(0)) pending.reject(error)
  }
}
