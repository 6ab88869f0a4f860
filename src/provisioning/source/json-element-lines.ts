/**
 * Where each element of the top-level arrays of a JSON document starts, as 1-based line numbers:
 * `{ "users": [ {…}, {…} ] }` → `users → [2, 9]`. JSON.parse gives no positions, and "line 57" is
 * what lets a person fix a 300-person file. Only call it on text JSON.parse accepted: it does not
 * validate. Callers compute it only when there is something to report.
 */
export function jsonElementLines(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>()
  let line = 1
  let depth = 0
  let current: number[] | undefined
  let lastKey = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      let j = i + 1
      for (let c = text.charCodeAt(j); c !== QUOTE; c = text.charCodeAt(j)) j += c === BACKSLASH ? 2 : 1
      // Only keys of the top-level object are needed; they are read raw (our keys have no escapes).
      if (depth === 1) lastKey = text.slice(i + 1, j)
      else if (depth === 2 && current !== undefined) current.push(line)
      i = j
    } else if (code === LF) {
      line++
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === 1 && code === OPEN_BRACKET) {
        current = []
        lines.set(lastKey, current)
      } else if (depth === 2 && current !== undefined) {
        current.push(line)
      }
      depth++
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--
      if (depth === 1) current = undefined
    } else if (depth === 2 && current !== undefined && !SEPARATORS.has(code)) {
      // A scalar element (not an object): still one element, so indexes stay aligned.
      current.push(line)
      while (i + 1 < text.length && !SCALAR_ENDS.has(text.charCodeAt(i + 1))) i++
    }
  }
  return lines
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const LF = 0x0a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const SEPARATORS = new Set([0x2c, 0x20, 0x09, 0x0d])
const SCALAR_ENDS = new Set([0x2c, CLOSE_BRACKET, LF])
