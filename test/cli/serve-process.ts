import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

/** `roster serve` (or another command) as a child process from source, as an operator runs it. */
export interface RosterProcess {
  child: ChildProcess
  /** stdout (JSON log lines) and stderr so far. */
  stdout(): string
  stderr(): string
  /** Resolves with the first log line whose msg is `msg` (rejects if the process exits first). */
  logLine(msg: string): Promise<Record<string, unknown>>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function spawnRoster(args: string[], env: Record<string, string>): RosterProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const waiters: (() => void)[] = []
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  let done = false
  const exited = once(child, 'close').then(([code, signal]) => {
    done = true
    for (const wake of waiters.splice(0)) wake()
    return { code: code as number | null, signal: signal as NodeJS.Signals | null }
  })
  const find = (msg: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === msg)
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async logLine(msg) {
      for (;;) {
        const line = find(msg)
        if (line) return line
        if (done) throw new Error(`roster exited before logging "${msg}":\n${stdout}\n${stderr}`)
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    },
  }
}

/** Starts `roster serve` and waits until it listens; returns its base URL. */
export async function startRoster(
  env: Record<string, string>,
  args: string[] = [],
): Promise<RosterProcess & { url: string }> {
  const roster = spawnRoster(['serve', ...args], env)
  const listening = await roster.logLine('roster is listening')
  return { ...roster, url: String(listening.url) }
}
