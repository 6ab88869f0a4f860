import type { CycleProgress } from '../provisioning/engine/cycle-progress.js'

/**
 * A one-line progress bar for a provisioning cycle on a terminal (no library is a dependency):
 * objects processed of those to process, counts per action, elapsed and estimated time left.
 * Redrawn in place with \r; off a TTY nothing is drawn, so piped output stays clean.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream
  #drawn = false

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream
  }

  update(progress: CycleProgress): void {
    if (!this.#stream.isTTY) return
    this.#stream.write(
      `\r${formatProgress(progress, Math.max(10, Math.min(30, (this.#stream.columns ?? 80) - 70)))}\x1b[K`,
    )
    this.#drawn = true
  }

  end(): void {
    if (this.#drawn) this.#stream.write('\n')
    this.#drawn = false
  }
}

export function formatProgress(progress: CycleProgress, width = 30): string {
  const ratio = progress.total === 0 ? 1 : Math.min(1, progress.processed / progress.total)
  const filled = Math.round(ratio * width)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
  const { counts } = progress
  const tally = `+${counts.create} ~${counts.update} -${counts.disable + counts.delete} skip ${counts.skip} fail ${counts.failure}`
  const left = progress.estimatedRemainingMs === undefined ? '?' : seconds(progress.estimatedRemainingMs)
  return `${bar} ${progress.processed}/${progress.total} (${Math.round(ratio * 100)}%) ${progress.phase}  ${tally}  ${seconds(progress.elapsedMs)} elapsed, ~${left} left`
}

function seconds(ms: number): string {
  const total = Math.round(ms / 1000)
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`
}
