import type { Argument, Expression } from './ast.js'
import type { ExpressionResult } from './expression-error.js'
import { defaultRegistry, type FunctionRegistry } from './function-registry.js'
import { parseExpression } from './parse-expression.js'
import { validateExpression } from './validate-expression.js'

/** A parsed and validated expression, ready to evaluate for every object of a cycle. */
export interface CompiledExpression {
  text: string
  ast: Expression
  registry: FunctionRegistry
  /** Source attributes the expression reads, in order of first use: what a connector must fetch. */
  attributes: string[]
}

/** Parse once per job configuration, evaluate per object. */
export function compileExpression(
  text: string,
  registry: FunctionRegistry = defaultRegistry,
): ExpressionResult<CompiledExpression> {
  const parsed = parseExpression(text)
  if (!parsed.ok) return parsed
  const validated = validateExpression(parsed.value, text, registry)
  if (!validated.ok) return validated
  return { ok: true, value: { text, ast: parsed.value, registry, attributes: attributesOf(parsed.value) } }
}

export function attributesOf(expression: Expression): string[] {
  const names = new Set<string>()
  const visit = (node: Argument): void => {
    if (node.kind === 'attribute') names.add(node.name)
    else if (node.kind === 'compare') {
      visit(node.left)
      visit(node.right)
    } else if (node.kind === 'call') node.args.forEach(visit)
  }
  visit(expression)
  return [...names]
}
