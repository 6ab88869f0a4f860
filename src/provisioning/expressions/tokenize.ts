import type { CompareOperator } from './ast.js'
import { ExpressionError } from './expression-error.js'

/**
 * The expression lexer. Attribute names are anything between `[` and `]` (Entra's source
 * attributes include dots, e.g. `employeeOrgData.costCenter`, and extension names with
 * underscores); string constants only know the two escapes Microsoft documents, `\"` and `\\`,
 * so a stray backslash is reported instead of silently changing a regular expression.
 */
export type Token =
  | { kind: 'name'; text: string; start: number; end: number }
  | { kind: 'attribute'; name: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'compare'; op: CompareOperator; start: number; end: number }
  | { kind: '(' | ')' | ','; start: number; end: number }
  | { kind: 'eof'; start: number; end: number }

const NAME_START = /[A-Za-z_]/
const NAME_PART = /[A-Za-z0-9_]/
const DIGIT = /[0-9]/
const HEX_DIGIT = /[0-9A-Fa-f]/

export class Lexer {
  readonly text: string
  private pos = 0
  private lookahead: Token | undefined

  constructor(text: string) {
    this.text = text
  }

  peek(): Token {
    this.lookahead ??= this.read()
    return this.lookahead
  }

  next(): Token {
    const token = this.peek()
    this.lookahead = undefined
    return token
  }

  fail(detail: string, position: number): ExpressionError {
    return new ExpressionError('ERR_EXPRESSION_SYNTAX', detail, this.text, position)
  }

  private read(): Token {
    const text = this.text
    while (this.pos < text.length && /\s/.test(text[this.pos]!)) this.pos++
    const start = this.pos
    if (start >= text.length) return { kind: 'eof', start, end: start }
    const ch = text[start]!
    if (ch === '(' || ch === ')' || ch === ',') {
      this.pos++
      return { kind: ch, start, end: this.pos }
    }
    if (ch === '[') return this.attribute(start)
    if (ch === '"') return this.string(start)
    if (ch === '&' && (text[start + 1] === 'H' || text[start + 1] === 'h')) return this.hex(start)
    if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(text[start + 1] ?? ''))) return this.number(start)
    if (NAME_START.test(ch)) {
      while (this.pos < text.length && NAME_PART.test(text[this.pos]!)) this.pos++
      return { kind: 'name', text: text.slice(start, this.pos), start, end: this.pos }
    }
    const op = this.compareOperator(start)
    if (op) return op
    throw this.fail(`Unexpected character ${JSON.stringify(ch)}`, start)
  }

  private attribute(start: number): Token {
    const close = this.text.indexOf(']', start + 1)
    const newline = this.text.indexOf('\n', start + 1)
    if (close === -1 || (newline !== -1 && newline < close))
      throw this.fail('Unterminated attribute name: "[" has no matching "]"', start)
    const name = this.text.slice(start + 1, close)
    if (name.trim() === '') throw this.fail('Empty attribute name "[]"', start)
    if (name.includes('['))
      throw this.fail('Attribute names cannot contain "["', start + 1 + name.indexOf('['))
    this.pos = close + 1
    return { kind: 'attribute', name, start, end: this.pos }
  }

  private string(start: number): Token {
    const text = this.text
    let value = ''
    let i = start + 1
    while (i < text.length) {
      const ch = text[i]!
      if (ch === '"') {
        this.pos = i + 1
        return { kind: 'string', value, start, end: this.pos }
      }
      if (ch === '\\') {
        const escaped = text[i + 1]
        if (escaped !== '"' && escaped !== '\\')
          throw this.fail(
            'Invalid escape in string: only \\" and \\\\ are allowed (write \\\\ for a backslash)',
            i,
          )
        value += escaped
        i += 2
        continue
      }
      value += ch
      i++
    }
    throw this.fail('Unterminated string: missing closing quote', start)
  }

  private number(start: number): Token {
    const text = this.text
    let i = start + (text[start] === '-' ? 1 : 0)
    while (i < text.length && DIGIT.test(text[i]!)) i++
    if (text[i] === '.' && DIGIT.test(text[i + 1] ?? '')) {
      i++
      while (i < text.length && DIGIT.test(text[i]!)) i++
    }
    if (i < text.length && NAME_PART.test(text[i]!))
      throw this.fail(`Invalid number ${JSON.stringify(text.slice(start, i + 1))}`, start)
    this.pos = i
    return { kind: 'number', value: Number(text.slice(start, i)), start, end: i }
  }

  /** VBA hexadecimal literal, as in Microsoft's `BitAnd(&HF, &HF7)`. */
  private hex(start: number): Token {
    let i = start + 2
    while (i < this.text.length && HEX_DIGIT.test(this.text[i]!)) i++
    if (i === start + 2) throw this.fail('Hexadecimal literal "&H" needs at least one hex digit', start)
    this.pos = i
    return { kind: 'number', value: Number.parseInt(this.text.slice(start + 2, i), 16), start, end: i }
  }

  private compareOperator(start: number): Token | undefined {
    const two = this.text.slice(start, start + 2)
    const op: CompareOperator | undefined =
      two === '<>' || two === '<=' || two === '>='
        ? two
        : (['=', '<', '>'] as const).find((candidate) => candidate === this.text[start])
    if (op === undefined) return undefined
    this.pos = start + op.length
    return { kind: 'compare', op, start, end: this.pos }
  }
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the expression'
    case 'name':
      return `"${token.text}"`
    case 'attribute':
      return `[${token.name}]`
    case 'string':
      return `the string ${JSON.stringify(token.value)}`
    case 'number':
      return `the number ${token.value}`
    case 'compare':
      return `"${token.op}"`
    default:
      return `"${token.kind}"`
  }
}
