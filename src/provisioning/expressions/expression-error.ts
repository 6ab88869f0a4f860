/**
 * Errors of the attribute-mapping expression language. A bad expression is a configuration mistake
 * made by an admin, so every error names where it is (offset, line, column) and what was expected.
 */
export type ExpressionErrorCode =
  | 'ERR_EXPRESSION_SYNTAX'
  | 'ERR_EXPRESSION_TOO_LONG'
  | 'ERR_EXPRESSION_UNKNOWN_FUNCTION'
  | 'ERR_EXPRESSION_ARITY'
  | 'ERR_EXPRESSION_PLACEMENT'
  | 'ERR_EXPRESSION_UNSUPPORTED'
  | 'ERR_EXPRESSION_EVALUATION'

export class ExpressionError extends Error {
  readonly code: ExpressionErrorCode
  /** 0-based offset into the expression text. */
  readonly position: number
  /** 1-based, for people reading multi-line expressions. */
  readonly line: number
  readonly column: number

  constructor(code: ExpressionErrorCode, detail: string, text: string, position: number) {
    const { line, column } = lineAndColumn(text, position)
    super(`${detail} (line ${line}, column ${column})`)
    this.name = 'ExpressionError'
    this.code = code
    this.position = position
    this.line = line
    this.column = column
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < position && i < text.length; i++) {
    if (text[i] === '\n') {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: position - lineStart + 1 }
}

/** Parsers return errors as values: a malformed mapping is expected input, not a crash. */
export type ExpressionResult<T> = { ok: true; value: T } | { ok: false; error: ExpressionError }
