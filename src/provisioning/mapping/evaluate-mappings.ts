import { evaluateExpression } from '../expressions/evaluate-expression.js'
import { ExpressionError } from '../expressions/expression-error.js'
import { readAttribute } from '../expressions/read-attribute.js'
import {
  type ExprValue,
  fromSource,
  isNullOrEmpty,
  scalarText,
  toBoolean,
  ValueError,
} from '../expressions/values.js'
import type { AttributeMapping, MappedAttributes, MappedValue } from './attribute-mapping.js'
import { type CompiledMapping, type CompiledMappings, compiledMappingsOf } from './compile-mappings.js'

export interface EvaluateOptions {
  /** Drives `[IsSoftDeleted]`: unassigned, out of scope, disabled or soft-deleted in the source. */
  isSoftDeleted: boolean
  /** True for the create (POST) of a new account: createOnly mappings and defaults apply. */
  creating: boolean
  /**
   * Entra never sends nulls, so a value cleared in the source stays in the target forever. With
   * this set, a mapped attribute (not createOnly, not IgnoreFlowIfNullOrEmpty) that became empty
   * is returned as null, and diffForPatch removes it.
   */
  flowNulls?: boolean
}

/** A mapping that failed for one object; the object is logged as failed, the cycle goes on. */
export class MappingEvaluationError extends Error {
  readonly code = 'ERR_MAPPING_EVALUATION'
  readonly target: string
  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super(`Mapping to ${target}: ${message}`, options)
    this.name = 'MappingEvaluationError'
    this.target = target
  }
}

/**
 * The SCIM attributes one source object should have. Nulls are not sent; createOnly mappings
 * and default values apply only when creating; IgnoreFlowIfNullOrEmpty drops its attribute;
 * references (manager, members) come back as `{ reference: sourceId }`.
 */
export function evaluateMappings(
  mappings: readonly AttributeMapping[] | CompiledMappings,
  source: Readonly<Record<string, unknown>>,
  options: EvaluateOptions,
): MappedAttributes {
  const input = { ...source, IsSoftDeleted: options.isSoftDeleted }
  const out: MappedAttributes = {}
  for (const mapping of compiledMappingsOf(mappings).mappings) {
    if (mapping.applyOn === 'createOnly' && !options.creating) continue
    const evaluated = evaluateOne(mapping, input)
    if (evaluated === undefined) continue
    if (!isNullOrEmpty(evaluated)) {
      out[mapping.target] = shape(mapping, evaluated as Exclude<ExprValue, null>)
    } else if (options.creating && mapping.defaultValue !== undefined) {
      out[mapping.target] = shape(mapping, mapping.defaultValue)
    } else if (options.flowNulls && mapping.type !== 'none') {
      out[mapping.target] = null
    }
  }
  return out
}

/** undefined: dropped from the flow by IgnoreFlowIfNullOrEmpty. */
function evaluateOne(
  mapping: CompiledMapping,
  input: Readonly<Record<string, unknown>>,
): ExprValue | undefined {
  try {
    switch (mapping.type) {
      case 'direct':
        return fromSource(readAttribute(input, mapping.source!), mapping.source!)
      case 'constant':
        return mapping.constant ?? null
      case 'expression': {
        const result = evaluateExpression(mapping.compiled!, input)
        return result.flow ? result.value : undefined
      }
      default:
        return null
    }
  } catch (error) {
    if (error instanceof ExpressionError || error instanceof ValueError)
      throw new MappingEvaluationError(mapping.target, error.message, { cause: error })
    throw error
  }
}

/**
 * Fits a value to its target: references become `{ reference }`, "True"/"False" become real
 * booleans for boolean attributes (sending the string "False" is a classic Entra
 * incompatibility, engines.md §4 item 12), string attributes get text, and a multi-valued result on a single-valued target
 * is an error rather than a silent pick.
 */
function shape(mapping: CompiledMapping, value: Exclude<ExprValue, null>): MappedValue {
  const { path } = mapping
  if (path.reference) {
    const ids = (Array.isArray(value) ? value : [value]).map(String)
    if (path.attribute.toLowerCase() === 'members') return ids.map((reference) => ({ reference }))
    if (ids.length !== 1)
      throw new MappingEvaluationError(mapping.target, `expected one manager, got ${ids.length}`)
    return { reference: ids[0]! }
  }
  if (path.type === 'boolean') {
    const bool = toBoolean(value)
    if (bool === undefined)
      throw new MappingEvaluationError(mapping.target, `${JSON.stringify(value)} is not True or False`)
    return bool
  }
  // A string attribute gets text, as Entra sends it: IsPresent(…) → "True", Count(…) → "2".
  if (path.type === 'string' && !Array.isArray(value)) return scalarText(value)
  if (Array.isArray(value)) {
    if (path.multiValued) return value
    if (value.length === 1) return value[0]!
    throw new MappingEvaluationError(mapping.target, `expected a single value, got ${value.length} values`)
  }
  return value
}
