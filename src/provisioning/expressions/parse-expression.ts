import type { Argument, Expression } from './ast.js'
import { ExpressionError, type ExpressionResult } from './expression-error.js'
import { describeToken, Lexer } from './tokenize.js'

/** Entra rejects attribute-mapping expressions longer than this (entra-scim.md §10.5). */
export const MAX_EXPRESSION_LENGTH = 10_000

/**
 * VBA constants that Microsoft's examples write bare (`InStr("repEated","e",3,vbBinaryCompare)`);
 * they parse as the string of their name. Any other bare word is an error.
 */
const NAMED_CONSTANTS: ReadonlySet<string> = new Set(['vbBinaryCompare', 'vbTextCompare'])

/** Far deeper than any real mapping; keeps a hostile expression from exhausting the stack. */
export const MAX_NESTING_DEPTH = 64

/**
 * Parses an attribute-mapping expression (Microsoft's "Reference for writing expressions for
 * attribute mappings") into an AST. Grammar:
 *
 *   expression := operand [ compareOp operand ]         compareOp: = <> < <= > >=
 *   operand    := Name "(" [ argument { "," argument } ] ")" | "[" attribute "]" | string | number
 *               | vbBinaryCompare | vbTextCompare
 *   argument   := expression | (nothing)                  an omitted argument, e.g. `Switch(x, , …)`
 *
 * Comparisons exist for IIF and CBool (`IIF([country]="USA", …)`); they do not chain. Function
 * names are checked against the registry by validateExpression, not here, so the grammar stays
 * independent of which functions are implemented.
 */
export function parseExpression(text: string): ExpressionResult<Expression> {
  if (text.length > MAX_EXPRESSION_LENGTH)
    return fail(
      new ExpressionError(
        'ERR_EXPRESSION_TOO_LONG',
        `Expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
        text,
        MAX_EXPRESSION_LENGTH,
      ),
    )
  const lexer = new Lexer(text)
  try {
    if (lexer.peek().kind === 'eof') throw lexer.fail('Expression is empty', 0)
    const expression = parseComparison(lexer, 0)
    const rest = lexer.peek()
    if (rest.kind !== 'eof')
      throw lexer.fail(`Unexpected ${describeToken(rest)} after the end of the expression`, rest.start)
    return { ok: true, value: expression }
  } catch (error) {
    if (error instanceof ExpressionError) return fail(error)
    throw error
  }
}

function fail(error: ExpressionError): { ok: false; error: ExpressionError } {
  return { ok: false, error }
}

function parseComparison(lexer: Lexer, depth: number): Expression {
  const left = parseOperand(lexer, depth)
  const token = lexer.peek()
  if (token.kind !== 'compare') return left
  lexer.next()
  const right = parseOperand(lexer, depth)
  const after = lexer.peek()
  if (after.kind === 'compare')
    throw lexer.fail(`Comparisons cannot be chained: unexpected "${after.op}"`, after.start)
  return { kind: 'compare', op: token.op, left, right, start: left.start, end: right.end }
}

function parseOperand(lexer: Lexer, depth: number): Expression {
  const token = lexer.next()
  switch (token.kind) {
    case 'attribute':
      return { kind: 'attribute', name: token.name, start: token.start, end: token.end }
    case 'string':
      return { kind: 'string', value: token.value, start: token.start, end: token.end }
    case 'number':
      return { kind: 'number', value: token.value, start: token.start, end: token.end }
    case 'name':
      if (NAMED_CONSTANTS.has(token.text) && lexer.peek().kind !== '(')
        return { kind: 'string', value: token.text, start: token.start, end: token.end }
      return parseCall(lexer, token.text, token.start, depth)
    default:
      throw lexer.fail(
        `Expected a function call, an [attribute], a "string" or a number but found ${describeToken(token)}`,
        token.start,
      )
  }
}

function parseCall(lexer: Lexer, name: string, start: number, depth: number): Expression {
  const open = lexer.next()
  if (open.kind !== '(')
    throw lexer.fail(
      `Expected "(" after the function name "${name}" (write string constants in double quotes, e.g. "${name}")`,
      open.start,
    )
  if (depth + 1 > MAX_NESTING_DEPTH)
    throw lexer.fail(`Functions are nested more than ${MAX_NESTING_DEPTH} levels deep`, start)
  const args: Argument[] = []
  if (lexer.peek().kind === ')') return { kind: 'call', name, args, start, end: lexer.next().end }
  for (;;) {
    const token = lexer.peek()
    if (token.kind === ',' || token.kind === ')')
      args.push({ kind: 'empty', start: token.start, end: token.start })
    else args.push(parseComparison(lexer, depth + 1))
    const separator = lexer.next()
    if (separator.kind === ')') return { kind: 'call', name, args, start, end: separator.end }
    if (separator.kind !== ',')
      throw lexer.fail(
        `Expected "," or ")" after argument ${args.length} of ${name} but found ${describeToken(separator)}`,
        separator.start,
      )
  }
}
