import type SQLite from 'better-sqlite3'

/**
 * One read transaction per turn of the event loop on the read-only connection, shared by every read
 * of that turn. Each statement outside a transaction begins and ends one of its own, and in WAL
 * mode that is most of a point lookup's cost: ~2.2 µs of locking the WAL index, against ~1.2 µs for
 * the lookup itself. Requests arrive in bursts (one poll of the sockets answers a dozen), so sharing
 * the transaction takes most of that off each of them.
 *
 * What a read sees stays what it saw before, give or take one turn: the snapshot is the database
 * as of the turn's first read, and the turn ends (setImmediate, after the poll phase) before the
 * next burst. Writes of this process commit in between — the write batch ends the snapshot before
 * it answers (write-units.ts), so a read that follows a write always sees it.
 */
export class TurnSnapshot {
  readonly #begin: SQLite.Statement
  readonly #commit: SQLite.Statement
  readonly #handle: SQLite.Database
  #open = false

  constructor(handle: SQLite.Database) {
    this.#handle = handle
    this.#begin = handle.prepare('begin')
    this.#commit = handle.prepare('commit')
  }

  /** Called before each read unit: opens the turn's transaction if none is open. */
  enter(): void {
    if (this.#open) return
    if (!this.#handle.inTransaction) this.#begin.run()
    this.#open = true
    setImmediate(() => this.end())
  }

  /** Ends the turn's transaction: the next read sees the database as it is now. */
  end(): void {
    if (!this.#open) return
    this.#open = false
    // A read-only transaction has nothing to commit; it can only still be in use by a statement
    // that is iterating, which none of the read units do.
    if (this.#handle.inTransaction) this.#commit.run()
  }
}
