import type { FunctionSpec } from '../function-spec.js'
import { type ExprValue, scalarText, toInteger, toText, ValueError } from '../values.js'

/** String functions. Indexes are 1-based and lengths count UTF-16 units, as in .NET. */

const text = (value: ExprValue, what: string) => toText(value, what)

const append: FunctionSpec = {
  name: 'Append',
  params: [{ name: 'source' }, { name: 'suffix' }],
  // A missing source stays missing: "@contoso.com" on its own is never a useful value.
  evaluate(args) {
    const source = text(args.value(0), 'Append source')
    if (source === null) return null
    return source + (text(args.value(1), 'Append suffix') ?? '')
  },
}

const join: FunctionSpec = {
  name: 'Join',
  params: [{ name: 'separator' }],
  rest: { name: 'source', min: 1 },
  // Multi-valued sources contribute every value; null and "" are skipped, so Microsoft's
  // `Join(", ", "", [surname], [givenName])` gives "Doe, John".
  evaluate(args) {
    const separator = text(args.value(0), 'Join separator') ?? ''
    const parts: string[] = []
    for (let i = 1; i < args.count; i++) {
      const value = args.value(i)
      const values = value === null ? [] : Array.isArray(value) ? value : [value]
      for (const item of values) {
        const part = scalarText(item)
        if (part !== '') parts.push(part)
      }
    }
    return parts.join(separator)
  },
}

const left: FunctionSpec = {
  name: 'Left',
  params: [{ name: 'string' }, { name: 'numChars' }],
  evaluate(args) {
    const source = text(args.value(0), 'Left string')
    if (source === null) return ''
    const count = toInteger(args.value(1), 'Left numChars')
    return count < 0 ? source : source.slice(0, count)
  },
}

const mid: FunctionSpec = {
  name: 'Mid',
  params: [{ name: 'source' }, { name: 'start' }, { name: 'length' }],
  evaluate(args) {
    const source = text(args.value(0), 'Mid source')
    if (source === null) return null
    const start = toInteger(args.value(1), 'Mid start')
    const length = toInteger(args.value(2), 'Mid length')
    if (start < 1) throw new ValueError(`Mid start must be 1 or more, got ${start}`)
    if (length < 0) throw new ValueError(`Mid length must not be negative, got ${length}`)
    return source.slice(start - 1, start - 1 + length)
  },
}

function caseFunction(name: 'ToLower' | 'ToUpper'): FunctionSpec {
  return {
    name,
    params: [{ name: 'source' }, { name: 'culture', optional: true }],
    // Without a culture: invariant rules (JavaScript's toLowerCase/toUpperCase are locale-free).
    evaluate(args) {
      const source = text(args.value(0), `${name} source`)
      if (source === null) return null
      const culture = text(args.value(1), `${name} culture`)
      if (!culture) return name === 'ToLower' ? source.toLowerCase() : source.toUpperCase()
      try {
        return name === 'ToLower' ? source.toLocaleLowerCase(culture) : source.toLocaleUpperCase(culture)
      } catch {
        throw new ValueError(`${name}: unknown culture ${JSON.stringify(culture)}`)
      }
    },
  }
}

/** Not an Entra function: a Roster extension, because stray spaces in HR data are common. */
const trim: FunctionSpec = {
  name: 'Trim',
  params: [{ name: 'source' }],
  evaluate: (args) => text(args.value(0), 'Trim source')?.trim() ?? null,
}

const stripSpaces: FunctionSpec = {
  name: 'StripSpaces',
  params: [{ name: 'source' }],
  // Only " ", as documented; tabs and other whitespace stay.
  evaluate: (args) => text(args.value(0), 'StripSpaces source')?.replaceAll(' ', '') ?? null,
}

const word: FunctionSpec = {
  name: 'Word',
  params: [{ name: 'string' }, { name: 'wordNumber' }, { name: 'delimiters' }],
  evaluate(args) {
    const source = text(args.value(0), 'Word string')
    const number = toInteger(args.value(1), 'Word wordNumber')
    if (source === null || number < 1) return ''
    const delimiters = new Set(text(args.value(2), 'Word delimiters') ?? '')
    const words: string[] = []
    let current = ''
    for (const ch of source) {
      if (delimiters.has(ch)) {
        if (current !== '') words.push(current)
        current = ''
      } else current += ch
    }
    if (current !== '') words.push(current)
    return words[number - 1] ?? ''
  },
}

const REPLACE_REGEX_PARAMS = [2, 3, 5] as const

/**
 * Replace's literal forms: oldValue + replacementValue (replace every occurrence in source) and
 * oldValue + template (put source into the template). The .NET-regex forms are refused up front
 * with a clear message rather than run with JavaScript's slightly different regex dialect.
 */
const replace: FunctionSpec = {
  name: 'Replace',
  params: [
    { name: 'source' },
    { name: 'oldValue', optional: true },
    { name: 'regexPattern', optional: true },
    { name: 'regexGroupName', optional: true },
    { name: 'replacementValue', optional: true },
    { name: 'replacementAttributeName', optional: true },
    { name: 'template', optional: true },
  ],
  check(empty) {
    const used = REPLACE_REGEX_PARAMS.filter((i) => empty[i] === false)
    if (used.length > 0)
      return {
        code: 'ERR_EXPRESSION_UNSUPPORTED',
        message:
          'Replace with regexPattern, regexGroupName or replacementAttributeName is not supported yet; use the oldValue form',
      }
    if (empty[1] !== false)
      return { code: 'ERR_EXPRESSION_ARITY', message: 'Replace needs an oldValue (argument 2)' }
    return undefined
  },
  evaluate(args) {
    const source = text(args.value(0), 'Replace source')
    if (source === null) return null
    const oldValue = text(args.value(1), 'Replace oldValue') ?? ''
    if (!args.isEmpty(6)) {
      const template = text(args.value(6), 'Replace template') ?? ''
      return oldValue === '' ? template : template.replaceAll(oldValue, source)
    }
    const replacement = text(args.value(4), 'Replace replacementValue') ?? ''
    return oldValue === '' ? source : source.replaceAll(oldValue, replacement)
  },
}

/** InStr(value1, value2, start, compareType): 1-based position of value2 in value1, 0 if absent. */
const inStr: FunctionSpec = {
  name: 'InStr',
  params: [
    { name: 'value1' },
    { name: 'value2' },
    { name: 'start', optional: true },
    { name: 'compareType', optional: true },
  ],
  evaluate(args) {
    const haystack = text(args.value(0), 'InStr value1')
    const needle = text(args.value(1), 'InStr value2')
    if (haystack === null || needle === null) return 0
    const start = args.isEmpty(2) ? 1 : toInteger(args.value(2), 'InStr start')
    if (start < 1) throw new ValueError(`InStr start must be 1 or more, got ${start}`)
    const compare = text(args.value(3), 'InStr compareType') ?? 'vbBinaryCompare'
    if (compare !== 'vbBinaryCompare' && compare !== 'vbTextCompare')
      throw new ValueError(
        `InStr compareType must be vbBinaryCompare or vbTextCompare, got ${JSON.stringify(compare)}`,
      )
    const fold = (value: string) => (compare === 'vbTextCompare' ? value.toLowerCase() : value)
    return fold(haystack).indexOf(fold(needle), start - 1) + 1
  },
}

const cstr: FunctionSpec = {
  name: 'CStr',
  params: [{ name: 'value' }],
  evaluate: (args) => text(args.value(0), 'CStr value'),
}

export const textFunctions: FunctionSpec[] = [
  append,
  join,
  left,
  mid,
  caseFunction('ToLower'),
  caseFunction('ToUpper'),
  trim,
  stripSpaces,
  word,
  replace,
  inStr,
  cstr,
]
