import type { CompareOperator, Expression } from './ast.js'
import type { CompiledExpression } from './compile-expression.js'
import { ExpressionError } from './expression-error.js'
import type { FunctionArgs } from './function-spec.js'
import { readAttribute } from './read-attribute.js'
import { type ExprValue, fromSource, isNullOrEmpty, toText, ValueError } from './values.js'

/** `flow: false` means IgnoreFlowIfNullOrEmpty dropped the attribute from the flow. */
export type Evaluation = { flow: true; value: ExprValue } | { flow: false }

/** The name of the marker function that the mapping engine honours. */
export const IGNORE_FLOW_FUNCTION = 'IgnoreFlowIfNullOrEmpty'

/**
 * Evaluates a compiled expression over a source object (attribute name → value; multi-valued
 * attributes are arrays). A function that cannot work on its input throws an ExpressionError
 * with code ERR_EXPRESSION_EVALUATION that points at the call.
 */
export function evaluateExpression(
  compiled: CompiledExpression,
  input: Readonly<Record<string, unknown>>,
): Evaluation {
  const value = evaluateNode(compiled, compiled.ast, input)
  if (compiled.ast.kind === 'call' && compiled.ast.name === IGNORE_FLOW_FUNCTION && isNullOrEmpty(value))
    return { flow: false }
  return { flow: true, value }
}

function evaluateNode(
  compiled: CompiledExpression,
  node: Expression,
  input: Readonly<Record<string, unknown>>,
): ExprValue {
  try {
    switch (node.kind) {
      case 'string':
      case 'number':
        return node.value
      case 'attribute':
        return fromSource(readAttribute(input, node.name), node.name)
      case 'compare':
        return compare(
          node.op,
          evaluateNode(compiled, node.left, input),
          evaluateNode(compiled, node.right, input),
        )
      case 'call': {
        const spec = compiled.registry.get(node.name)
        if (!spec) throw new ValueError(`Unknown function "${node.name}"`)
        return spec.evaluate(lazyArgs(compiled, node.args, input))
      }
    }
  } catch (error) {
    if (error instanceof ValueError) {
      const name = node.kind === 'call' ? node.name : ''
      const detail = error.message.startsWith(name) ? error.message : `${name}: ${error.message}`
      throw new ExpressionError('ERR_EXPRESSION_EVALUATION', detail, compiled.text, node.start)
    }
    throw error
  }
}

function lazyArgs(
  compiled: CompiledExpression,
  args: Extract<Expression, { kind: 'call' }>['args'],
  input: Readonly<Record<string, unknown>>,
): FunctionArgs {
  const cache = new Map<number, ExprValue>()
  return {
    count: args.length,
    isEmpty: (index) => (args[index]?.kind ?? 'empty') === 'empty',
    value(index) {
      const arg = args[index]
      if (!arg || arg.kind === 'empty') return null
      if (!cache.has(index)) cache.set(index, evaluateNode(compiled, arg, input))
      return cache.get(index) ?? null
    },
  }
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/

/**
 * IIF/CBool comparisons. Equality is case-sensitive text equality (booleans print as
 * "True"/"False"), numeric when both sides are numbers. Unlike Entra, a null side is
 * well-defined: it equals "" and makes <, <=, >, >= false, so `IIF([country]="", …)` works.
 */
function compare(op: CompareOperator, left: ExprValue, right: ExprValue): boolean {
  const a = toText(left, `Left side of "${op}"`)
  const b = toText(right, `Right side of "${op}"`)
  const numeric = a !== null && b !== null && NUMERIC.test(a) && NUMERIC.test(b)
  if (op === '=' || op === '<>') {
    const equal = numeric ? Number(a) === Number(b) : (a ?? '') === (b ?? '')
    return op === '=' ? equal : !equal
  }
  if (a === null || b === null) return false
  const order = numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0
  switch (op) {
    case '<':
      return order < 0
    case '<=':
      return order <= 0
    case '>':
      return order > 0
    default:
      return order >= 0
  }
}
