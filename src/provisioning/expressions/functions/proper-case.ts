import type { FunctionSpec } from '../function-spec.js'
import { toText } from '../values.js'

/**
 * PCase(source, wordSeparators). Every word gets an upper-case first letter and lower-case rest,
 * so "PABLO GONSALVES (SECOND)" becomes "Pablo Gonsalves (Second)" as in Microsoft's example.
 * Without separators, any character that is not a letter, digit or combining mark separates
 * words: the Unicode punctuation, symbol, space and control categories .NET's ToTitleCase uses.
 */
export function properCase(source: string, separators?: string): string {
  const isSeparator = separators
    ? (ch: string) => separators.includes(ch)
    : (ch: string) => !/[\p{L}\p{N}\p{M}]/u.test(ch)
  let out = ''
  let startOfWord = true
  for (const ch of source) {
    if (isSeparator(ch)) {
      out += ch
      startOfWord = true
    } else {
      out += startOfWord ? ch.toUpperCase() : ch.toLowerCase()
      startOfWord = false
    }
  }
  return out
}

export const properCaseFunction: FunctionSpec = {
  name: 'PCase',
  params: [{ name: 'source' }, { name: 'wordSeparators', optional: true }],
  evaluate(args) {
    const source = toText(args.value(0), 'PCase source')
    if (source === null) return null
    const separators = toText(args.value(1), 'PCase wordSeparators')
    return properCase(source, separators || undefined)
  },
}
