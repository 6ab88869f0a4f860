import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.js'
import {
  COMPARE_OPERATORS,
  MAX_INPUT_LENGTH,
  runSyntax,
  type SyntaxContext,
  type Token,
  type TokenCursor,
} from './lexer.js'
import type { ParseResult } from './result.js'

/**
 * RFC 7644 §3.4.2.2 filter parser (recursive descent; `and` binds tighter than `or`):
 *   filter     = disjunct *("or" disjunct)
 *   disjunct   = unary *("and" unary)
 *   unary      = "not" "(" filter ")" / "(" filter ")" / attrExp
 *   attrExp    = attrPath "pr" / attrPath compareOp compValue / attrPath "[" valFilter "]"
 * plus Entra's `emails[type eq "work"].value eq "x"`, desugared into the value filter.
 */

/** Groups, `not` and value filters nest; the cap keeps hostile input from exhausting the stack. */
export const MAX_FILTER_DEPTH = 50

const FILTER_CONTEXT: SyntaxContext = { label: 'filter', scimType: 'invalidFilter' }

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** Words that can never be an unquoted (legacy) value. */
const RESERVED = new Set([...COMPARE_OPERATORS, 'pr', 'and', 'or', 'not'])

/**
 * A flat chain `a or b or c …` as a balanced tree. `and` and `or` are associative, so the meaning is
 * the same, but the tree is log2(n) deep rather than n: a long chain within MAX_INPUT_LENGTH would
 * otherwise nest deeper than SQLite accepts (1000) or than recursive evaluation should go. Up to
 * three terms the tree is the left-associative one.
 */
function balanced(kind: 'and' | 'or', terms: Filter[]): Filter {
  if (terms.length === 1) return terms[0]!
  const middle = Math.ceil(terms.length / 2)
  return { kind, left: balanced(kind, terms.slice(0, middle)), right: balanced(kind, terms.slice(middle)) }
}

/**
 * `userName eq "…"`: the filter identity providers send for nearly every request (Test Connection,
 * matching). This exact shape — a plain attribute name, ` eq `, a string without escapes or control
 * characters — gets its AST without the tokenizer; anything else goes through the grammar, and a
 * test holds the two equal.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are what the grammar rejects in strings, so they must leave the fast path
const PLAIN_EQUALITY = /^([A-Za-z][\w-]*) eq "([^"\\\u0000-\u001f]*)"$/

export function parseFilter(text: string): ParseResult<Filter> {
  const plain = text.length <= MAX_INPUT_LENGTH ? PLAIN_EQUALITY.exec(text) : null
  if (plain && !RESERVED.has(plain[1]!.toLowerCase())) {
    return { ok: true, value: { kind: 'compare', path: { name: plain[1]! }, op: 'eq', value: plain[2]! } }
  }
  return parseFilterGrammar(text)
}

/** The filter grammar itself (exported for the test that holds the fast path to it). */
export function parseFilterGrammar(text: string): ParseResult<Filter> {
  return runSyntax(text, FILTER_CONTEXT, (cursor) => {
    if (cursor.peek().kind === 'eof') throw cursor.failAt('is empty', 0)
    const filter = new FilterParser(cursor).expression(false)
    cursor.end('"and", "or" or end of filter')
    return filter
  })
}

/** Exported so the PATCH path and attribute-list parsers reuse the value-filter grammar. */
export class FilterParser {
  private readonly cursor: TokenCursor
  private depth = 0

  constructor(cursor: TokenCursor) {
    this.cursor = cursor
  }

  /** `inValue`: inside `[...]`, where paths are sub-attribute names and brackets cannot nest. */
  expression(inValue: boolean): Filter {
    const terms = [this.conjunction(inValue)]
    while (this.cursor.isKeyword('or')) {
      this.cursor.next()
      terms.push(this.conjunction(inValue))
    }
    return balanced('or', terms)
  }

  /** Parses `"[" valFilter "]"` for `path`; the cursor is on the `[`. */
  valueFilter(path: AttributePath, pathToken: Token): Filter {
    const open = this.cursor.next()
    if (path.sub !== undefined) {
      throw this.cursor.failAt(
        `a value filter must follow a plain attribute name, not "${pathToken.text}"`,
        open.pos,
      )
    }
    if (this.cursor.peek().kind === ']') throw this.cursor.failAt('empty value filter after "["', open.pos)
    return this.group(open, ']', () => this.expression(true))
  }

  private conjunction(inValue: boolean): Filter {
    const terms = [this.unary(inValue)]
    while (this.cursor.isKeyword('and')) {
      this.cursor.next()
      terms.push(this.unary(inValue))
    }
    return balanced('and', terms)
  }

  private unary(inValue: boolean): Filter {
    const token = this.cursor.peek()
    if (token.kind === '(') {
      this.cursor.next()
      return this.group(token, ')', () => this.expression(inValue))
    }
    if (this.cursor.isKeyword('not')) {
      this.cursor.next()
      const open = this.cursor.peek()
      if (open.kind !== '(') throw this.cursor.expected('"(" after "not"', open)
      this.cursor.next()
      return { kind: 'not', filter: this.group(open, ')', () => this.expression(inValue)) }
    }
    if (token.kind !== 'word' || this.cursor.isKeyword('and') || this.cursor.isKeyword('or')) {
      throw this.cursor.expected('an attribute path, "(" or "not"', token)
    }
    return this.attributeExpression(inValue)
  }

  /** Runs `body` one nesting level deeper, then requires the closing bracket. */
  private group(open: Token, close: ')' | ']', body: () => Filter): Filter {
    if (++this.depth > MAX_FILTER_DEPTH) {
      throw this.cursor.failAt(`nested deeper than ${MAX_FILTER_DEPTH} levels`, open.pos)
    }
    const filter = body()
    const token = this.cursor.peek()
    if (token.kind !== close)
      throw this.cursor.expected(`"${close}" closing the "${open.text}" at position ${open.pos}`)
    this.cursor.next()
    this.depth--
    return filter
  }

  private attributeExpression(inValue: boolean): Filter {
    const { path, token } = this.cursor.attributePath()
    if (this.cursor.peek().kind === '[') {
      if (inValue)
        throw this.cursor.failAt('a value filter cannot contain another "["', this.cursor.peek().pos)
      const filter = this.valueFilter(path, token)
      // Entra: `emails[type eq "work"].value eq "x"` means one element matching both conditions.
      const subToken = this.cursor.peek()
      const sub = this.cursor.subAttribute()
      if (sub === undefined) return { kind: 'valuePath', path, filter }
      const condition = this.condition({ name: sub }, subToken)
      return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: condition } }
    }
    if (inValue && (path.uri !== undefined || path.sub !== undefined)) {
      throw this.cursor.failAt(
        `"${token.text}" inside a value filter must be a sub-attribute name`,
        token.pos,
      )
    }
    return this.condition(path, token)
  }

  private condition(path: AttributePath, pathToken: Token): Filter {
    const token = this.cursor.peek()
    const op = token.kind === 'word' ? token.text.toLowerCase() : ''
    if (op === 'pr') {
      this.cursor.next()
      return { kind: 'present', path }
    }
    if (!COMPARE_OPERATORS.has(op))
      throw this.cursor.expected(`a comparison operator after "${pathToken.text}"`)
    this.cursor.next()
    return { kind: 'compare', path, op: op as CompareOperator, value: this.value(token) }
  }

  private value(opToken: Token): FilterValue {
    const token = this.cursor.peek()
    const expected = `a value after "${opToken.text}"`
    if (token.kind === 'string') {
      this.cursor.next()
      return token.value!
    }
    if (token.kind !== 'word') throw this.cursor.expected(expected, token)
    const word = token.text.toLowerCase()
    if (RESERVED.has(word)) throw this.cursor.expected(expected, token)
    this.cursor.next()
    if (word === 'true') return true
    if (word === 'false') return false
    if (word === 'null') return null
    if (NUMBER.test(token.text)) {
      const number = Number(token.text)
      if (!Number.isFinite(number))
        throw this.cursor.failAt(`number "${token.text}" is out of range`, token.pos)
      return number
    }
    // Entra's legacy form `externalId eq jyoung`: an unquoted word is a string.
    return token.text
  }
}
