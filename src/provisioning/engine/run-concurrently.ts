/**
 * Runs `work` over `items` with at most `limit` in progress: bounded parallelism per object, while
 * the target client's rate limiter paces the requests themselves. `work` must not throw (the engine
 * turns every per-object failure into a log entry); if it does, the first error is rethrown after
 * the items in progress have finished.
 */
export async function runConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!
      try {
        await work(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
}
