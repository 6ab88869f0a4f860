import { type CompiledExpression, compileExpression } from '../expressions/compile-expression.js'
import type { AttributeMapping } from './attribute-mapping.js'
import { parseTargetPath, type TargetPath } from './target-path.js'

export interface CompiledMapping extends AttributeMapping {
  path: TargetPath
  compiled?: CompiledExpression
}

/** A validated mapping set; build once per job configuration, evaluate per object. */
export interface CompiledMappings {
  readonly mappings: readonly CompiledMapping[]
}

export interface MappingError {
  code: 'ERR_MAPPING_INVALID'
  /** 0-based index of the mapping in the list. */
  index: number
  target: string
  message: string
}

export type MappingsResult = { ok: true; value: CompiledMappings } | { ok: false; errors: MappingError[] }

/**
 * Checks a mapping set and reports every problem at once: unparseable targets, duplicates, a
 * missing source/constant/expression, expression errors (with line and column), and matching
 * precedences that are not distinct positive integers.
 */
export function compileMappings(mappings: readonly AttributeMapping[]): MappingsResult {
  const errors: MappingError[] = []
  const compiled: CompiledMapping[] = []
  const targets = new Map<string, number>()
  const precedences = new Map<number, string>()
  for (const [index, mapping] of mappings.entries()) {
    const entry = compileOne(mapping, index, targets, precedences)
    if (typeof entry === 'string')
      errors.push({
        code: 'ERR_MAPPING_INVALID',
        index,
        target: mapping.target,
        message: `Mapping to ${mapping.target}: ${entry}`,
      })
    else compiled.push(entry)
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { mappings: compiled } }
}

/** One mapping, or the reason it is invalid. */
function compileOne(
  mapping: AttributeMapping,
  index: number,
  targets: Map<string, number>,
  precedences: Map<number, string>,
): CompiledMapping | string {
  const path = parseTargetPath(mapping.target)
  if (!path.ok) return path.message
  const key = mapping.target.toLowerCase()
  const previous = targets.get(key)
  if (previous !== undefined) return `the target is already mapped by mapping ${previous + 1}`
  targets.set(key, index)
  const entry: CompiledMapping = { ...mapping, path: path.value }
  switch (mapping.type) {
    case 'direct':
      if (!mapping.source?.trim()) return 'a direct mapping needs a source attribute'
      break
    case 'constant':
      if (mapping.constant === undefined) return 'a constant mapping needs a constant value'
      break
    case 'expression': {
      const expression = compileExpression(mapping.expression ?? '')
      if (!expression.ok) return expression.error.message
      const { ast } = expression.value
      if (mapping.matching && ast.kind === 'call' && ast.name === 'SelectUniqueValue')
        return 'SelectUniqueValue cannot be used on a matching attribute'
      entry.compiled = expression.value
      break
    }
    case 'none':
      if (mapping.defaultValue === undefined)
        return 'a mapping of type none only supplies its defaultValue, which is missing'
      break
    default:
      return `unknown mapping type ${JSON.stringify(mapping.type)}`
  }
  if (mapping.matching) {
    const { precedence } = mapping.matching
    if (!Number.isInteger(precedence) || precedence < 1)
      return 'matching precedence must be a positive integer'
    const other = precedences.get(precedence)
    if (other !== undefined) return `matching precedence ${precedence} is also used by ${other}`
    precedences.set(precedence, mapping.target)
  }
  return entry
}

const cache = new WeakMap<readonly AttributeMapping[], CompiledMappings>()

/** Compiles (once per array) or throws: for callers holding mappings that were validated on save. */
export function compiledMappingsOf(
  mappings: readonly AttributeMapping[] | CompiledMappings,
): CompiledMappings {
  if (!Array.isArray(mappings)) return mappings as CompiledMappings
  const list = mappings as readonly AttributeMapping[]
  const cached = cache.get(list)
  if (cached) return cached
  const result = compileMappings(list)
  if (!result.ok)
    throw new TypeError(`Invalid attribute mappings: ${result.errors.map((e) => e.message).join('; ')}`)
  cache.set(list, result.value)
  return result.value
}
