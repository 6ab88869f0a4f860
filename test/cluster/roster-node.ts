import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { issueAccessToken } from '../../src/access/access-tokens.js'
import { createTenant } from '../../src/directory/tenants.js'
import { openStore } from '../../src/store/open.js'
import { type ScimClient, scimClient } from '../support/server.js'

/** One `roster serve` process from source, as an operator runs it (one node of a cluster). */
export interface RosterNode {
  /** http://127.0.0.1:PORT */
  url: string
  scim(token: string): ScimClient
  /** SIGKILL: no drain, no pool close, no checkpoint; resolves once the process is gone. */
  kill(): Promise<void>
  /** SIGTERM (graceful), then SIGKILL if it has not exited after 10 s. */
  stop(): Promise<void>
  output(): string
}

const READY_TIMEOUT_MS = 30_000
const OUTPUT_LIMIT = 16_000

const children = new Set<ChildProcess>()
// However the test process ends, no server outlives it.
process.once('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/**
 * Starts `node --import tsx src/cli/main.ts serve` on `databaseUrl` with PORT=0 and resolves with
 * the URL from its "roster is listening" log line (the OS picks the port: no race for a free one).
 */
export async function startRosterNode(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RosterNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  let pending = ''
  let resolveUrl: (url: string) => void = () => {}
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve))
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT)
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.startsWith('{')) continue
      try {
        const entry = JSON.parse(line) as { msg?: unknown; url?: unknown }
        if (entry.msg === 'roster is listening' && typeof entry.url === 'string') resolveUrl(entry.url)
      } catch {
        // not a log line
      }
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT)
  })
  const exited = once(child, 'exit').then(() => {
    children.delete(child)
  })

  let timer: NodeJS.Timeout | undefined
  const url = await Promise.race([
    listening,
    exited.then(() => {
      throw new Error(`roster serve exited (code ${child.exitCode}, signal ${child.signalCode}):\n${output}`)
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`roster serve did not listen within ${READY_TIMEOUT_MS} ms:\n${output}`)),
        READY_TIMEOUT_MS,
      )
    }),
  ]).catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  clearTimeout(timer)

  const gone = () => child.exitCode !== null || child.signalCode !== null
  return {
    url,
    scim: (token) => scimClient(`${url}/scim/v2`, token),
    async kill() {
      if (!gone()) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (gone()) return
      child.kill('SIGTERM')
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(hard)
    },
    output: () => output,
  }
}

/** A tenant (plain RFC rules) and a SCIM token in the database at `databaseUrl`, as `roster tenant/token create` make them. */
export async function seedTenant(databaseUrl: string, slug: string): Promise<string> {
  const db = await openStore({ databaseUrl })
  try {
    const tenant = await createTenant(db, { slug, rules: 'rfc' })
    return (await issueAccessToken(db, tenant.id, { name: 'cluster test', scopes: ['scim'] })).token
  } finally {
    await db.destroy()
  }
}
