/**
 * Finds the first syntax error in a JSON text, with its line and column. V8's JSON.parse messages carry
 * a position only for some errors ("Unexpected token '}', …" has none), and a person fixing a directory
 * file needs the line. Only run after JSON.parse failed: this walks the grammar (RFC 8259) once and
 * builds nothing.
 */

export interface JsonSyntaxError {
  readonly line: number
  readonly column: number
  readonly message: string
}

class Stop {
  readonly at: number
  readonly message: string
  constructor(at: number, message: string) {
    this.at = at
    this.message = message
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const describe = (): string => (i >= text.length ? 'the end of the file' : `"${text[i]}"`)
  const string = (): void => {
    const open = i++
    for (;;) {
      if (i >= text.length) throw new Stop(open, 'a string is never closed')
      const code = text.charCodeAt(i)
      if (code === 0x22) break
      if (code < 0x20) throw new Stop(i, 'a line break or control character inside a string; write it as \\n')
      if (code === 0x5c) {
        ESCAPE.lastIndex = i + 1
        if (!ESCAPE.test(text)) throw new Stop(i, 'an invalid escape sequence in a string')
        i = ESCAPE.lastIndex
      } else {
        i++
      }
    }
    i++
  }
  const value = (): void => {
    skipSpace()
    const char = text[i]
    if (char === '{') {
      i++
      skipSpace()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') {
          const trailing = text[i] === '}'
          throw new Stop(
            i,
            trailing
              ? 'a trailing comma before "}"'
              : `expected a property name in double quotes, found ${describe()}`,
          )
        }
        string()
        skipSpace()
        if (text[i] !== ':') throw new Stop(i, `expected ":" after the property name, found ${describe()}`)
        i++
        value()
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        throw new Stop(i, `expected "," or "}" after a property value, found ${describe()}`)
      }
    }
    if (char === '[') {
      i++
      skipSpace()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        skipSpace()
        if (text[i] === ']') throw new Stop(i, 'a trailing comma before "]"')
        value()
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        throw new Stop(i, `expected "," or "]" after an array element, found ${describe()}`)
      }
    }
    if (char === '"') {
      string()
      return
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length
        return
      }
    }
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex
      return
    }
    throw new Stop(i, `expected a value, found ${describe()}`)
  }
  try {
    value()
    skipSpace()
    if (i < text.length) throw new Stop(i, `unexpected ${describe()} after the end of the document`)
    return undefined
  } catch (error) {
    if (!(error instanceof Stop)) throw error
    return { ...position(text, error.at), message: error.message }
  }
}

function position(text: string, at: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: at - lineStart + 1 }
}
