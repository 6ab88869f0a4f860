import type { FunctionSpec } from '../function-spec.js'
import { toInteger, toText } from '../values.js'

/** Encodings and bit operations, for identifiers derived from ids and flags. */

const convertToBase64: FunctionSpec = {
  name: 'ConvertToBase64',
  params: [{ name: 'source' }],
  // "Unicode base64": .NET's Unicode is UTF-16LE, hence "Hello" → "SABlAGwAbABvAA==".
  evaluate(args) {
    const source = toText(args.value(0), 'ConvertToBase64 source')
    return source === null ? null : Buffer.from(source, 'utf16le').toString('base64')
  },
}

const convertToUtf8Hex: FunctionSpec = {
  name: 'ConvertToUTF8Hex',
  params: [{ name: 'source' }],
  evaluate(args) {
    const source = toText(args.value(0), 'ConvertToUTF8Hex source')
    return source === null ? null : Buffer.from(source, 'utf8').toString('hex').toUpperCase()
  },
}

const bitAnd: FunctionSpec = {
  name: 'BitAnd',
  params: [{ name: 'value1' }, { name: 'value2' }],
  // BigInt: AD flag attributes can exceed 32 bits, where JavaScript's `&` would truncate.
  evaluate(args) {
    const a = BigInt(toInteger(args.value(0), 'BitAnd value1'))
    const b = BigInt(toInteger(args.value(1), 'BitAnd value2'))
    return Number(a & b)
  },
}

export const encodingFunctions: FunctionSpec[] = [convertToBase64, convertToUtf8Hex, bitAnd]
