/**
 * The expression AST. Offsets (`start`, `end`, 0-based, end exclusive) point back into the text so
 * validation and evaluation errors can say where the problem is.
 */
export type CompareOperator = '=' | '<>' | '<' | '<=' | '>' | '>='

export type Expression =
  | { kind: 'call'; name: string; args: Argument[]; start: number; end: number }
  | { kind: 'attribute'; name: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'compare'; op: CompareOperator; left: Expression; right: Expression; start: number; end: number }

/** An omitted positional argument, as in `Switch([IsSoftDeleted], , "False", "True")`. */
export interface EmptyArgument {
  kind: 'empty'
  start: number
  end: number
}

export type Argument = Expression | EmptyArgument

export type CallExpression = Extract<Expression, { kind: 'call' }>
