import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A server under test, running as its own Node.js process on a free loopback port. */
export interface ChildServer {
  name: string
  /** http://127.0.0.1:PORT */
  url: string
  pid: number | undefined
  /** The last output lines (stdout and stderr), for error messages. */
  output(): string
  alive(): boolean
  /** CPU seconds (user + system, all threads) the process has used so far; undefined where /proc is missing. */
  cpuSeconds(): number | undefined
  /** SIGTERM (a graceful close, which also lets --cpu-prof write its profile), SIGKILL after 10 s. */
  stop(): Promise<void>
}

export interface ChildSpec {
  name: string
  /** Script and arguments after `node [nodeArgs]`. */
  args: string[]
  nodeArgs?: string[]
  env: Record<string, string>
  /** Path polled until it answers 200. */
  readyPath: string
}

const READY_TIMEOUT_MS = 30_000
const OUTPUT_LIMIT = 8_000

const running = new Set<ChildServer>()
const processes = new Set<ChildProcess>()

// Last resort: however the bench process ends, no server outlives it.
process.once('exit', () => {
  for (const child of processes) if (!exited(child)) child.kill('SIGKILL')
})

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (typeof address !== 'object' || address === null) throw new Error('could not pick a free port')
  return address.port
}

/** Linux: utime + stime of /proc/PID/stat, in clock ticks (USER_HZ, 100 on every mainstream kernel). */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

export async function startChild(spec: ChildSpec): Promise<ChildServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...spec.args], {
    env: { ...process.env, ...spec.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  child.on('error', (error) => collect(Buffer.from(`${error.message}\n`)))
  processes.add(child)
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      processes.delete(child)
      resolve()
    })
  })

  const server: ChildServer = {
    name: spec.name,
    url,
    pid: child.pid,
    output: () => output,
    alive: () => !exited(child),
    cpuSeconds: () => (child.pid === undefined ? undefined : processCpuSeconds(child.pid)),
    async stop() {
      running.delete(server)
      if (exited(child)) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(timer)
    },
  }
  running.add(server)

  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (exited(child)) {
      running.delete(server)
      throw new Error(
        `${spec.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${output}`,
      )
    }
    try {
      const response = await fetch(`${url}${spec.readyPath}`)
      await response.arrayBuffer()
      if (response.status === 200) return server
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(
        `${spec.name} did not answer GET ${spec.readyPath} within ${READY_TIMEOUT_MS} ms:\n${output}`,
      )
    }
    await sleep(100)
  }
}

/** Stops every child still running (on failure and on Ctrl-C). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()))
}
