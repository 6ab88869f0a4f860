import type { Argument, Expression } from './ast.js'
import { ExpressionError, type ExpressionResult } from './expression-error.js'
import type { FunctionRegistry } from './function-registry.js'
import { type FunctionSpec, signature } from './function-spec.js'

/**
 * Checks every call against the registry: the function exists (names are case-sensitive, as in
 * Entra, with a hint when only the case is wrong), gets a valid number of arguments, required
 * arguments are not left empty, and top-level-only functions are outermost.
 */
export function validateExpression(
  expression: Expression,
  text: string,
  registry: FunctionRegistry,
): ExpressionResult<Expression> {
  try {
    visit(expression, 0, text, registry)
    return { ok: true, value: expression }
  } catch (error) {
    if (error instanceof ExpressionError) return { ok: false, error }
    throw error
  }
}

function visit(node: Argument, depth: number, text: string, registry: FunctionRegistry): void {
  if (node.kind === 'compare') {
    visit(node.left, depth + 1, text, registry)
    visit(node.right, depth + 1, text, registry)
    return
  }
  if (node.kind !== 'call') return
  const spec = registry.get(node.name)
  if (!spec) {
    const lower = node.name.toLowerCase()
    const hint = [...registry.keys()].find((name) => name.toLowerCase() === lower)
    const detail = hint
      ? `Unknown function "${node.name}"; function names are case-sensitive, did you mean "${hint}"?`
      : `Unknown function "${node.name}"`
    throw new ExpressionError('ERR_EXPRESSION_UNKNOWN_FUNCTION', detail, text, node.start)
  }
  if (spec.topLevelOnly && depth > 0)
    throw new ExpressionError(
      'ERR_EXPRESSION_PLACEMENT',
      `${spec.name} must be the outermost function of the expression`,
      text,
      node.start,
    )
  checkArity(spec, node.args, node.start, text)
  for (const arg of node.args) visit(arg, depth + 1, text, registry)
}

function checkArity(spec: FunctionSpec, args: readonly Argument[], start: number, text: string): void {
  const arity = (detail: string) => new ExpressionError('ERR_EXPRESSION_ARITY', detail, text, start)
  const lastRequired = spec.params.findLastIndex((param) => !param.optional)
  const min = spec.rest ? spec.params.length + spec.rest.min : lastRequired + 1
  const max = spec.rest ? Number.POSITIVE_INFINITY : spec.params.length
  if (args.length < min || args.length > max) {
    const expected =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`
    const noun = min === 1 && max === 1 ? 'argument' : 'arguments'
    throw arity(`${signature(spec)} expects ${expected} ${noun} but got ${args.length}`)
  }
  spec.params.forEach((param, i) => {
    if (!param.optional && args[i]?.kind === 'empty')
      throw arity(`${spec.name}: argument ${i + 1} (${param.name}) is required but is empty`)
  })
  const failure = spec.check?.(args.map((arg) => arg.kind === 'empty'))
  if (failure) throw new ExpressionError(failure.code, failure.message, text, start)
}
