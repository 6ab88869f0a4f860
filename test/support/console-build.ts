import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const consoleDir = join(root, 'console')
const builtIndex = join(root, 'dist', 'console', 'index.html')
const lockDir = join(root, 'dist', '.console-build.lock')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

function isFresh(): boolean {
  try {
    return statSync(builtIndex).mtimeMs >= newestSource(consoleDir)
  } catch {
    return false
  }
}

/**
 * Builds the console with Vite unless dist/console is newer than every file under console/.
 * Test files run in parallel processes, so a lock directory keeps two builds from overlapping.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (isFresh()) return
  mkdirSync(join(root, 'dist'), { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lockDir)
      break
    } catch {
      // Another process builds; a lock older than two minutes is a leftover of a killed run.
      if (Date.now() - statSync(lockDir, { throwIfNoEntry: false })!.mtimeMs > 120_000)
        rmSync(lockDir, { force: true, recursive: true })
      if (Date.now() > deadline) throw new Error('timed out waiting for another console build')
      await new Promise((resolve) => setTimeout(resolve, 250))
      if (isFresh()) return
    }
  }
  try {
    if (isFresh()) return
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        join(consoleDir, 'vite.config.ts'),
        '--logLevel',
        'warn',
      ],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
  } finally {
    rmSync(lockDir, { force: true, recursive: true })
  }
}
