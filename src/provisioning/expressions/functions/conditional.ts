import type { FunctionSpec } from '../function-spec.js'
import { isNull, isNullOrEmpty, toBoolean, toText, ValueError } from '../values.js'

/** Switch, IIF and the predicates: the functions that choose between values. */

const switchFunction: FunctionSpec = {
  name: 'Switch',
  params: [{ name: 'source' }, { name: 'defaultValue', optional: true }],
  rest: { name: 'key/value', min: 2 },
  check: (empty) =>
    empty.length % 2 === 0
      ? undefined
      : {
          code: 'ERR_EXPRESSION_ARITY',
          message: 'Switch needs keys and values in pairs (an even number of arguments)',
        },
  // Case-sensitive, and a null source matches the key "" (Microsoft's advice for empty values).
  evaluate(args) {
    const source = toText(args.value(0), 'Switch source') ?? ''
    for (let i = 2; i + 1 < args.count; i += 2) {
      if ((toText(args.value(i), 'Switch key') ?? '') === source) return args.value(i + 1)
    }
    return args.value(1)
  },
}

const iif: FunctionSpec = {
  name: 'IIF',
  params: [{ name: 'condition' }, { name: 'valueIfTrue' }, { name: 'valueIfFalse' }],
  // Entra fails the whole flow when the condition's attribute is null; we treat null as False.
  evaluate(args) {
    const condition = args.value(0)
    const truth = isNull(condition) ? false : toBoolean(condition)
    if (truth === undefined)
      throw new ValueError(
        `IIF condition must be True or False, got ${JSON.stringify(toText(condition, 'IIF'))}`,
      )
    return truth ? args.value(1) : args.value(2)
  },
}

const not: FunctionSpec = {
  name: 'Not',
  params: [{ name: 'source' }],
  // As documented: True gives False, anything else gives True.
  evaluate: (args) => toBoolean(args.value(0)) !== true,
}

const cbool: FunctionSpec = {
  name: 'CBool',
  params: [{ name: 'expression' }],
  evaluate(args) {
    const value = args.value(0)
    if (isNullOrEmpty(value)) return false
    const bool = toBoolean(value)
    if (bool !== undefined) return bool
    const text = toText(value, 'CBool') ?? ''
    const number = Number(text)
    if (text.trim() === '' || Number.isNaN(number))
      throw new ValueError(`CBool cannot convert ${JSON.stringify(text)} to a boolean`)
    return number !== 0
  },
}

const predicate = (
  name: string,
  test: (value: ReturnType<FunctionSpec['evaluate']>) => boolean,
): FunctionSpec => ({
  name,
  params: [{ name: 'expression' }],
  evaluate: (args) => test(args.value(0)),
})

const coalesce: FunctionSpec = {
  name: 'Coalesce',
  params: [],
  rest: { name: 'source', min: 1 },
  // The last argument doubles as the default value: "first non-null" covers both readings.
  evaluate(args) {
    for (let i = 0; i < args.count; i++) {
      const value = args.value(i)
      if (!isNull(value)) return value
    }
    return null
  },
}

/** The mapping evaluator drops the attribute when this (outermost) call yields null or "". */
const ignoreFlowIfNullOrEmpty: FunctionSpec = {
  name: 'IgnoreFlowIfNullOrEmpty',
  params: [{ name: 'expression' }],
  topLevelOnly: true,
  evaluate: (args) => args.value(0),
}

/**
 * Entra checks each candidate for uniqueness in the target and returns the first free one. That
 * needs a round trip to the target, which a pure evaluator cannot make: we return the first
 * candidate that has a value, i.e. the answer for a target where every candidate is free.
 */
const selectUniqueValue: FunctionSpec = {
  name: 'SelectUniqueValue',
  params: [],
  rest: { name: 'uniqueValueRule', min: 2 },
  topLevelOnly: true,
  evaluate(args) {
    for (let i = 0; i < args.count; i++) {
      const value = args.value(i)
      if (!isNullOrEmpty(value)) return value
    }
    return null
  },
}

export const conditionalFunctions: FunctionSpec[] = [
  switchFunction,
  iif,
  not,
  cbool,
  predicate('IsNull', isNull),
  predicate('IsNullOrEmpty', isNullOrEmpty),
  predicate('IsPresent', (value) => !isNullOrEmpty(value)),
  predicate(
    'IsString',
    (value) =>
      typeof value === 'string' ||
      (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string'),
  ),
  coalesce,
  ignoreFlowIfNullOrEmpty,
  selectUniqueValue,
]
