import { badRequest, type ScimError, type ScimType } from '../errors.js'
import type { AttributePath } from './ast.js'
import { fail, ok, type ParseResult } from './result.js'

/**
 * Tokenizer and token cursor shared by the filter and path parsers. A "word" is any run of characters
 * other than whitespace, quotes and brackets, so URNs (`urn:…:2.0:User:name.givenName`), operators,
 * numbers and Entra's unquoted legacy values are all words; the parser decides what each one means.
 */
export type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | ',' | 'eof'

export interface Token {
  kind: TokenKind
  /** The source text (a string literal keeps its quotes). */
  text: string
  /** 0-based offset in the input, quoted in error details. */
  pos: number
  /** Decoded value of a string literal. */
  value?: string
}

/** What is being parsed: names the input in error details and picks the scimType. */
export interface SyntaxContext {
  label: string
  scimType: ScimType
  /** Attribute lists separate entries with commas; elsewhere a comma is part of a word. */
  commas?: boolean
}

/** Caps input size so a hostile query string cannot make us do unbounded work. */
export const MAX_INPUT_LENGTH = 10_000

export const COMPARE_OPERATORS: ReadonlySet<string> = new Set([
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
])

/** Thrown inside the parsers and turned into a ParseResult at the boundary (see runSyntax). */
export class SyntaxFailure extends Error {
  readonly error: ScimError
  constructor(error: ScimError) {
    super(error.message)
    this.error = error
  }
}

export function syntaxFailure(ctx: SyntaxContext, message: string): SyntaxFailure {
  return new SyntaxFailure(badRequest(ctx.scimType, `${ctx.label}: ${message}`))
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** Reads a JSON string literal starting at the opening quote. */
function readString(text: string, start: number, ctx: SyntaxContext): Token {
  let value = ''
  let i = start + 1
  while (i < text.length) {
    const ch = text[i]!
    if (ch === '"') {
      // PostgreSQL text cannot hold U+0000, and no stored value can contain it (coerce.ts).
      if (value.includes('\u0000'))
        throw syntaxFailure(ctx, `the string starting at position ${start} contains U+0000 (NUL)`)
      return { kind: 'string', text: text.slice(start, i + 1), pos: start, value }
    }
    if (ch !== '\\') {
      value += ch
      i++
      continue
    }
    const escapeChar = text[i + 1]
    if (escapeChar === undefined) break
    if (escapeChar === 'u') {
      const hex = text.slice(i + 2, i + 6)
      if (!/^[0-9a-fA-F]{4}$/.test(hex))
        throw syntaxFailure(ctx, `invalid \\u escape in string at position ${i}`)
      value += String.fromCharCode(Number.parseInt(hex, 16))
      i += 6
      continue
    }
    const decoded = ESCAPES[escapeChar]
    if (decoded === undefined)
      throw syntaxFailure(ctx, `invalid escape "\\${escapeChar}" in string at position ${i}`)
    value += decoded
    i += 2
  }
  throw syntaxFailure(ctx, `unterminated string starting at position ${start}`)
}

const PUNCTUATION = new Set(['(', ')', '[', ']'])

export function tokenize(text: string, ctx: SyntaxContext): Token[] {
  const tokens: Token[] = []
  const isDelimiter = (ch: string): boolean =>
    /\s/.test(ch) || ch === '"' || PUNCTUATION.has(ch) || (ctx.commas === true && ch === ',')
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '"') {
      const token = readString(text, i, ctx)
      tokens.push(token)
      i += token.text.length
    } else if (PUNCTUATION.has(ch) || (ctx.commas === true && ch === ',')) {
      tokens.push({ kind: ch as TokenKind, text: ch, pos: i })
      i++
    } else {
      const start = i
      while (i < text.length && !isDelimiter(text[i]!)) i++
      tokens.push({ kind: 'word', text: text.slice(start, i), pos: start })
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length })
  return tokens
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of input'
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text
  return token.kind === 'string' ? text : `"${text}"`
}

/** ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA (RFC 7643 §2.1), plus `$ref`. */
export const ATTRIBUTE_NAME = /^(?:[A-Za-z][\w-]*|\$ref)$/

/**
 * `[urn ":"] name ["." sub]`. The URN is everything before the last colon, so the dot in `2.0`
 * never splits the name. Undefined when the text is not a valid attribute path.
 */
export function toAttributePath(text: string): AttributePath | undefined {
  const colon = text.lastIndexOf(':')
  const uri = colon >= 0 ? text.slice(0, colon) : undefined
  if (uri !== undefined && !/^urn:[^:]+(?::[^:]+)*$/i.test(uri)) return undefined
  const [name, sub, ...rest] = text.slice(colon + 1).split('.')
  if (name === undefined || !ATTRIBUTE_NAME.test(name) || rest.length > 0) return undefined
  if (sub !== undefined && !ATTRIBUTE_NAME.test(sub)) return undefined
  const path: AttributePath = uri === undefined ? { name } : { uri, name }
  if (sub !== undefined) path.sub = sub
  return path
}

export class TokenCursor {
  readonly ctx: SyntaxContext
  private readonly tokens: Token[]
  private index = 0

  constructor(tokens: Token[], ctx: SyntaxContext) {
    this.tokens = tokens
    this.ctx = ctx
  }

  peek(): Token {
    return this.tokens[this.index]!
  }

  next(): Token {
    const token = this.peek()
    if (token.kind !== 'eof') this.index++
    return token
  }

  /** True when the next token is the (case-insensitive) keyword. */
  isKeyword(keyword: string): boolean {
    const token = this.peek()
    return token.kind === 'word' && token.text.toLowerCase() === keyword
  }

  /** `expected X at position N, got Y` for the given token. */
  expected(what: string, token: Token = this.peek()): SyntaxFailure {
    return syntaxFailure(this.ctx, `expected ${what} at position ${token.pos}, got ${describe(token)}`)
  }

  failAt(message: string, pos: number): SyntaxFailure {
    return syntaxFailure(this.ctx, `${message} at position ${pos}`)
  }

  /** Consumes a word that must be an attribute path. */
  attributePath(): { path: AttributePath; token: Token } {
    const token = this.peek()
    if (token.kind !== 'word') throw this.expected('an attribute path', token)
    const path = toAttributePath(token.text)
    if (!path) throw this.failAt(`invalid attribute path "${token.text}"`, token.pos)
    this.next()
    return { path, token }
  }

  /** Consumes `.sub` after a value filter (`emails[type eq "work"].value`), when present. */
  subAttribute(): string | undefined {
    const token = this.peek()
    if (token.kind !== 'word' || !token.text.startsWith('.')) return undefined
    const name = token.text.slice(1)
    if (!ATTRIBUTE_NAME.test(name)) throw this.failAt(`invalid sub-attribute "${token.text}"`, token.pos)
    this.next()
    return name
  }

  end(what: string): void {
    if (this.peek().kind !== 'eof') throw this.expected(what)
  }
}

/** Runs a parser body over `text`, turning syntax failures into a ParseResult. */
export function runSyntax<T>(
  text: string,
  ctx: SyntaxContext,
  body: (cursor: TokenCursor) => T,
): ParseResult<T> {
  if (text.length > MAX_INPUT_LENGTH) {
    return fail(badRequest(ctx.scimType, `${ctx.label}: longer than ${MAX_INPUT_LENGTH} characters`))
  }
  try {
    return ok(body(new TokenCursor(tokenize(text, ctx), ctx)))
  } catch (error) {
    if (error instanceof SyntaxFailure) return fail(error.error)
    throw error
  }
}
