import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Copies the WAL back into the database file from a worker thread, on its own connection, every
 * CHECKPOINT_INTERVAL_MS. A checkpoint writes every page changed since the last one and fsyncs both
 * files; run by the connection that commits (SQLite's auto-checkpoint), it stalls the event loop
 * for tens of milliseconds every few thousand writes and takes a tenth of each write's CPU. A
 * PASSIVE checkpoint never waits for, nor blocks, the writer; the next write transaction after a
 * complete one restarts the WAL from its beginning, so it stays small.
 *
 * The writer's auto-checkpoint stays on as the safety net: if this thread falls behind or fails,
 * the WAL still cannot grow past it.
 */
export const CHECKPOINT_INTERVAL_MS = 100

// Plain JavaScript evaluated in the worker (no TypeScript loader there). Errors are ignored: a
// missed checkpoint is retried on the next tick, and the writer's auto-checkpoint backs it up.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
}, workerData.interval)
`

export interface Checkpointer {
  stop(): void
}

export function startCheckpointer(file: string): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      interval: CHECKPOINT_INTERVAL_MS,
    },
    // The worker must not inherit loaders (tsx) or the CPU profiler flags of the main thread.
    execArgv: [],
  })
  worker.unref()
  // A worker that cannot start (or dies) only costs the WAL its background checkpoints.
  worker.on('error', () => {})
  return {
    stop: () => {
      void worker.terminate()
    },
  }
}
