import type { FunctionSpec } from '../function-spec.js'
import { type Scalar, scalarText, toInteger, toText, ValueError } from '../values.js'

/** Functions that produce or consume multi-valued attributes (arrays). */

const split: FunctionSpec = {
  name: 'Split',
  params: [{ name: 'source' }, { name: 'delimiter' }],
  // A literal split: values are not trimmed (Microsoft's sample output shows trimmed values
  // for "a, b", which String.Split does not do; a Trim can be applied afterwards if wanted).
  evaluate(args) {
    const source = toText(args.value(0), 'Split source')
    if (source === null) return null
    const delimiter = toText(args.value(1), 'Split delimiter') ?? ''
    return delimiter === '' ? [source] : source.split(delimiter)
  },
}

const removeDuplicates: FunctionSpec = {
  name: 'RemoveDuplicates',
  params: [{ name: 'attribute' }],
  evaluate(args) {
    const value = args.value(0)
    if (!Array.isArray(value)) return value
    const seen = new Set<string>()
    const unique: Scalar[] = []
    for (const item of value) {
      const key = scalarText(item)
      if (seen.has(key)) continue
      seen.add(key)
      unique.push(item)
    }
    return unique
  },
}

const item: FunctionSpec = {
  name: 'Item',
  params: [{ name: 'attribute' }, { name: 'index' }],
  evaluate(args) {
    const index = toInteger(args.value(1), 'Item index')
    if (index < 1) throw new ValueError('Item index must be 1 or more (index 0 is not used)')
    const value = args.value(0)
    if (value === null) return null
    const values = Array.isArray(value) ? value : [value]
    return values[index - 1] ?? null
  },
}

const count: FunctionSpec = {
  name: 'Count',
  params: [{ name: 'attribute' }],
  evaluate(args) {
    const value = args.value(0)
    return value === null ? 0 : Array.isArray(value) ? value.length : 1
  },
}

export const multiValuedFunctions: FunctionSpec[] = [split, removeDuplicates, item, count]
