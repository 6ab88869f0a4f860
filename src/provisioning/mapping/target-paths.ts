import { parseTargetPath, type TargetPath } from './target-path.js'

const cache = new Map<string, TargetPath>()

/**
 * Parsed target paths by text, cached: diffs and bodies run once per object per cycle over the
 * same dozen paths. The keys come from validated mappings, so a bad path is a programming error.
 */
export function targetPathOf(text: string): TargetPath {
  let path = cache.get(text)
  if (!path) {
    const parsed = parseTargetPath(text)
    if (!parsed.ok) throw new TypeError(`Invalid target path ${JSON.stringify(text)}: ${parsed.message}`)
    path = parsed.value
    if (cache.size < 10_000) cache.set(text, path)
  }
  return path
}
