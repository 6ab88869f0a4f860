import { Worker } from 'node:worker_threads'
import { ScimError, type ScimType } from '../scim/errors.js'
import type { Db } from '../store/database.js'
import { onSqliteClose, type SqliteFile, sqliteFileOf } from '../store/dialects/sqlite.js'
import type { DirectoryContext } from './users-service.js'

/**
 * The directory's SQLite writes run on a thread of their own. A SCIM write spends about half its
 * CPU in SQLite and in the domain work around it (validation, PATCH, diff, audit) and half in HTTP
 * and rendering; on one thread the two add up, on two they overlap, and a 2-core machine serves
 * writes about half again as fast. The thread is the only writer of SCIM data: it batches commits
 * exactly as before (write-units.ts) on its own connection, and answers only after the COMMIT.
 * Reads stay on the main thread's read-only connection, which sees each write once it is answered.
 *
 * One thread per process serves every SQLite file the process opened (tests open many); it is
 * started on the first write and kept referenced only while a write is in flight, so it never
 * keeps a finished process alive.
 */

/** What crosses to the thread: plain data only. */
export interface WriteCall {
  id: number
  target: SqliteFile
  command: string
  actor: Pick<DirectoryContext, 'tenant' | 'tokenId' | 'requestId'>
  args: unknown[]
}

export type WriteMessage = WriteCall | { close: string }

/** An error as it crosses back: SCIM errors keep their status and type, others their name and code. */
export type SerializedError =
  | { kind: 'scim'; status: number; scimType: ScimType | undefined; detail: string }
  | { kind: 'error'; name: string; message: string; code: unknown }

export type WriteAnswer =
  | { id: number; value: unknown }
  | { id: number; error: SerializedError }
  /** Sent once, when the thread has loaded its code. */
  | { ready: true }

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ScimError) {
    return { kind: 'scim', status: error.status, scimType: error.scimType, detail: error.message }
  }
  const {
    name = 'Error',
    message = String(error),
    code,
  } = (error ?? {}) as Partial<Error & { code: unknown }>
  return { kind: 'error', name, message, code }
}

function deserializeError(error: SerializedError): Error {
  if (error.kind === 'scim') return new ScimError(error.status, error.scimType, error.detail)
  return Object.assign(new Error(error.message), { name: error.name, code: error.code })
}

/**
 * Built JavaScript runs the thread's module directly. Run from TypeScript sources (tests, `npm run
 * roster`), the thread has no loader of its own — Node gives workers the main thread's flags but not
 * the hooks tsx registered — so it registers tsx first.
 */
function spawnThread(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./write-thread-main.js', import.meta.url))
  const source = `
    const { workerData } = require('node:worker_threads')
    import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry) })
  `
  return new Worker(source, {
    eval: true,
    workerData: {
      tsx: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./write-thread-main.ts', import.meta.url).href,
    },
  })
}

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
}

class WriteThread {
  #worker: Worker | undefined
  #ready: Promise<void> | undefined
  readonly #pending = new Map<number, Pending>()
  #nextId = 1

  call(ctx: DirectoryContext, command: string, args: unknown[]): Promise<unknown> {
    const target = sqliteFileOf(ctx.db) as SqliteFile
    const worker = this.#start()
    const id = this.#nextId++
    const { tenant, tokenId, requestId } = ctx
    return new Promise((resolve, reject) => {
      worker.ref()
      this.#pending.set(id, { resolve, reject })
      const call: WriteCall = { id, target, command, actor: { tenant, tokenId, requestId }, args }
      worker.postMessage(call)
    })
  }

  /**
   * Starts the thread if needed and resolves once it has loaded its code, so that a server does
   * not report itself ready while its first writes would still wait for that.
   */
  ready(): Promise<void> {
    this.#start()
    return this.#ready as Promise<void>
  }

  /** The thread closes its connection to `file` once the writes already sent to it are done. */
  close(file: string): void {
    this.#worker?.postMessage({ close: file } satisfies WriteMessage)
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    const worker = spawnThread()
    let isLoaded = false
    let loaded: () => void = () => {}
    let failed: (error: unknown) => void = () => {}
    this.#ready = new Promise<void>((resolve, reject) => {
      loaded = resolve
      failed = reject
    })
    // Nobody may be waiting; a thread that fails to start also fails the writes sent to it.
    this.#ready.catch(() => {})
    worker.on('message', (answer: WriteAnswer) => {
      if ('ready' in answer) {
        isLoaded = true
        if (this.#pending.size === 0) worker.unref()
        return loaded()
      }
      const pending = this.#pending.get(answer.id)
      if (!pending) return
      this.#pending.delete(answer.id)
      if (this.#pending.size === 0 && isLoaded) worker.unref()
      if ('error' in answer) pending.reject(deserializeError(answer.error))
      else pending.resolve(answer.value)
    })
    const stopped = (error: unknown) => {
      failed(error)
      if (this.#worker !== worker) return
      this.#worker = undefined
      this.#ready = undefined
      // Unanswered writes may or may not have committed: the caller gets an error (a 500), never a
      // false success. The next write starts a new thread.
      const failure = new Error('the write thread stopped', { cause: error })
      for (const pending of this.#pending.values()) pending.reject(failure)
      this.#pending.clear()
    }
    worker.on('error', stopped)
    worker.on('exit', (code) => stopped(new Error(`write thread exited with code ${code}`)))
    // Referenced (as a 'message' listener makes it) until it is ready and whenever a write is in
    // flight: a process waiting for it must not exit; an idle one must not be held open by it.
    this.#worker = worker
    return worker
  }
}

let thread: WriteThread | undefined
const closing = new WeakSet<Db>()

/** The write thread for `db` when it is a SQLite file opened by openSqlite; else undefined. */
export function writeThreadFor(db: Db): WriteThread | undefined {
  const target = sqliteFileOf(db)
  if (!target) return undefined
  thread ??= new WriteThread()
  if (!closing.has(db)) {
    closing.add(db)
    const file = target.file
    const current = thread
    onSqliteClose(db, () => current.close(file))
  }
  return thread
}
