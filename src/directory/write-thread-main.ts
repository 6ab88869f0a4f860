import { parentPort } from 'node:worker_threads'
import type { Db } from '../store/database.js'
import { openSqlite } from '../store/dialects/sqlite.js'
import { writeCommands } from './write-commands.js'
import { serializeError, type WriteAnswer, type WriteCall, type WriteMessage } from './write-thread.js'

/** The write thread (write-thread.ts): one writer connection per SQLite file, opened on first use. */

interface Connection {
  db: Db
  /** Writes sent and not yet answered: a close waits for them. */
  inFlight: Set<Promise<unknown>>
}

const connections = new Map<string, Connection>()

function connect(call: WriteCall): Connection {
  let connection = connections.get(call.target.file)
  if (!connection) {
    const db = openSqlite(call.target.file, { synchronous: call.target.synchronous, primary: false })
    connection = { db, inFlight: new Set() }
    connections.set(call.target.file, connection)
  }
  return connection
}

async function run(call: WriteCall): Promise<WriteAnswer> {
  const connection = connect(call)
  const command = writeCommands[call.command as keyof typeof writeCommands] as
    | ((...args: unknown[]) => Promise<unknown>)
    | undefined
  if (!command)
    return { id: call.id, error: serializeError(new Error(`unknown write command ${call.command}`)) }
  const work = command({ db: connection.db, ...call.actor }, ...call.args)
  connection.inFlight.add(work)
  try {
    return { id: call.id, value: await work }
  } catch (error) {
    return { id: call.id, error: serializeError(error) }
  } finally {
    connection.inFlight.delete(work)
  }
}

async function close(file: string): Promise<void> {
  const connection = connections.get(file)
  if (!connection) return
  connections.delete(file)
  await Promise.allSettled([...connection.inFlight])
  await connection.db.destroy()
}

const port = parentPort
if (!port) throw new Error('write-thread-main runs as a worker thread')
port.on('message', (message: WriteMessage) => {
  if ('close' in message) {
    void close(message.close)
    return
  }
  void run(message).then((answer) => port.postMessage(answer))
})
port.postMessage({ ready: true } satisfies WriteAnswer)
