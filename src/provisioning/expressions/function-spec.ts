import type { ExprValue } from './values.js'

/**
 * What the validator and the evaluator need to know about one function. Arguments are evaluated
 * on demand (`args.value(i)`), so IIF and Switch only evaluate the branch they return.
 */
export interface ParamSpec {
  name: string
  /** An optional parameter may be left empty (`Switch(x, , …)`) or, when last, omitted. */
  optional?: boolean
}

export interface FunctionArgs {
  readonly count: number
  /** The i-th argument's value (0-based); an empty argument is null. */
  value(index: number): ExprValue
  /** True when the i-th argument was written empty or is beyond the end. */
  isEmpty(index: number): boolean
}

export interface CheckFailure {
  code: 'ERR_EXPRESSION_ARITY' | 'ERR_EXPRESSION_UNSUPPORTED'
  message: string
}

export interface FunctionSpec {
  name: string
  params: readonly ParamSpec[]
  /** A parameter repeated after `params`, at least `min` times (Join's sources, Coalesce's values). */
  rest?: { name: string; min: number }
  /** Entra allows these only as the outermost function (IgnoreFlowIfNullOrEmpty, SelectUniqueValue). */
  topLevelOnly?: boolean
  /** An extra static rule on the call (Switch's key/value pairs, Replace's supported forms). */
  check?(emptyArgs: readonly boolean[]): CheckFailure | undefined
  evaluate(args: FunctionArgs): ExprValue
}

export function signature(spec: FunctionSpec): string {
  const names = spec.params.map((param) => param.name)
  if (spec.rest) names.push(`${spec.rest.name}1`, '…')
  return `${spec.name}(${names.join(', ')})`
}
