import type { FunctionSpec } from './function-spec.js'
import { conditionalFunctions } from './functions/conditional.js'
import { encodingFunctions } from './functions/encoding.js'
import { formatDateTimeFunction } from './functions/format-date-time.js'
import { multiValuedFunctions } from './functions/multi-valued.js'
import { normalizeDiacriticsFunction } from './functions/normalize-diacritics.js'
import { properCaseFunction } from './functions/proper-case.js'
import { textFunctions } from './functions/text.js'

/** The functions an expression may call, by their exact (case-sensitive) name. */
export type FunctionRegistry = ReadonlyMap<string, FunctionSpec>

export function createRegistry(specs: readonly FunctionSpec[]): FunctionRegistry {
  const registry = new Map<string, FunctionSpec>()
  for (const spec of specs) {
    if (registry.has(spec.name)) throw new TypeError(`Function ${spec.name} is registered twice`)
    registry.set(spec.name, spec)
  }
  return registry
}

export const defaultRegistry: FunctionRegistry = createRegistry([
  ...conditionalFunctions,
  ...textFunctions,
  ...multiValuedFunctions,
  ...encodingFunctions,
  normalizeDiacriticsFunction,
  properCaseFunction,
  formatDateTimeFunction,
])
