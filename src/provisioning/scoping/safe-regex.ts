/**
 * Regular expressions from admins run against every object of every cycle, and Node's regex
 * engine backtracks with no timeout: `(a+)+$` against 30 "a"s and a "b" blocks the event loop
 * (and so every job) for minutes. Three guards, checked when the filter is saved:
 *
 * 1. The pattern is at most 1,000 characters.
 * 2. The constructs behind exponential backtracking are refused: a repeated group that itself
 *    contains a repetition or an alternation (`(a+)+`, `(a|aa)*`), backreferences and lookaround.
 * 3. Values longer than 1,024 characters are not tested (the clause is false), which bounds the
 *    remaining polynomial cases such as `.*a.*a`.
 *
 * Trade-off: the analysis is conservative (it refuses some safe patterns such as `(ab|cd)+`) and
 * does not prove linear time; patterns with several overlapping unbounded repetitions can still
 * cost O(n^k) on a 1,024-character value. The complete fix is a linear-time engine (RE2) or a
 * worker thread with a deadline, which costs a native dependency or a thread hop per object; for
 * scoping filters over short directory strings the static guard is the better bargain.
 */
export const MAX_PATTERN_LENGTH = 1000
export const MAX_TESTED_LENGTH = 1024

export type SafeRegexResult = { ok: true; regex: RegExp } | { ok: false; reason: string }

interface Group {
  repeats: boolean
  alternates: boolean
}

export function compileSafeRegex(pattern: string): SafeRegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return {
      ok: false,
      reason: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    }
  let regex: RegExp
  try {
    // No flags: case-sensitive as in Entra, and without `u` so .NET-style escapes like `\@` stay valid.
    regex = new RegExp(pattern)
  } catch (error) {
    return { ok: false, reason: `invalid regular expression: ${(error as Error).message}` }
  }
  const unsafe = findUnsafeConstruct(pattern)
  return unsafe === undefined ? { ok: true, regex } : { ok: false, reason: unsafe }
}

/** Tests a value, or returns undefined when the value is too long to test safely. */
export function testSafely(regex: RegExp, value: string): boolean | undefined {
  if (value.length > MAX_TESTED_LENGTH) return undefined
  return regex.test(value)
}

function findUnsafeConstruct(pattern: string): string | undefined {
  const stack: Group[] = [{ repeats: false, alternates: false }]
  let last: Group | undefined
  let i = 0
  while (i < pattern.length) {
    const ch = pattern[i]!
    const top = stack[stack.length - 1]!
    if (ch === '\\') {
      const next = pattern[i + 1] ?? ''
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<'))
        return `backreferences are not allowed (at character ${i + 1})`
      if ('AZzG'.includes(next) && next !== '')
        return `\\${next} is .NET-only syntax; use ^ and $ instead (at character ${i + 1})`
      last = undefined
      i += 2
    } else if (ch === '[') {
      i = skipClass(pattern, i)
      last = undefined
    } else if (ch === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(i, i + 4)))
        return `lookaround is not allowed (at character ${i + 1})`
      stack.push({ repeats: false, alternates: false })
      last = undefined
      i++
    } else if (ch === ')') {
      const closed = stack.length > 1 ? stack.pop()! : top
      const parent = stack[stack.length - 1]!
      if (closed.repeats) parent.repeats = true
      last = closed
      i++
    } else if (ch === '|') {
      top.alternates = true
      last = undefined
      i++
    } else if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      const { length, repeats } = quantifier(pattern, i)
      if (length === 0) {
        i++
        continue
      }
      if (repeats && last && (last.repeats || last.alternates))
        return `a repeated group contains a repetition or alternation, which can backtrack exponentially (at character ${i + 1})`
      if (repeats) top.repeats = true
      last = undefined
      i += length
      if (pattern[i] === '?') i++
    } else {
      last = undefined
      i++
    }
  }
  return undefined
}

/** Length of the quantifier at `i` (0 if `{` is a literal) and whether it allows more than one. */
function quantifier(pattern: string, i: number): { length: number; repeats: boolean } {
  const ch = pattern[i]
  if (ch === '*' || ch === '+') return { length: 1, repeats: true }
  if (ch === '?') return { length: 1, repeats: false }
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))
  if (!match) return { length: 0, repeats: false }
  const max =
    match[2] === undefined ? Number(match[1]) : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3])
  return { length: match[0].length, repeats: max > 1 }
}

function skipClass(pattern: string, start: number): number {
  let i = start + 1
  if (pattern[i] === '^') i++
  if (pattern[i] === ']') i++
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
  return i + 1
}
