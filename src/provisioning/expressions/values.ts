/**
 * The value model of the expression language. Entra works on strings: booleans print as
 * "True"/"False" (.NET's Boolean.ToString), which is why the default `active` mapping compares
 * `[IsSoftDeleted]` with the keys "True" and "False". Multi-valued attributes are arrays.
 */
export type Scalar = string | number | boolean
export type ExprValue = Scalar | Scalar[] | null

/** Thrown by a function that cannot work on its input; the evaluator adds the position. */
export class ValueError extends Error {}

/** Converts a source attribute to an expression value; objects are references ({ id } or { value }). */
export function fromSource(raw: unknown, attribute: string): ExprValue {
  if (raw === undefined || raw === null) return null
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null
  if (typeof raw === 'bigint') return raw.toString()
  if (raw instanceof Date) return raw.toISOString()
  if (Array.isArray(raw)) {
    const values: Scalar[] = []
    for (const item of raw) {
      const value = fromSource(item, attribute)
      if (Array.isArray(value)) values.push(...value)
      else if (value !== null) values.push(value)
    }
    return values
  }
  const record = raw as Record<string, unknown>
  if (typeof record['id'] === 'string') return record['id']
  if (typeof record['value'] === 'string') return record['value']
  throw new ValueError(`Attribute [${attribute}] holds an object, which expressions cannot use`)
}

export function isNull(value: ExprValue): boolean {
  return value === null || (Array.isArray(value) && value.length === 0)
}

export function isNullOrEmpty(value: ExprValue): boolean {
  return isNull(value) || value === ''
}

/** One scalar as text; booleans as .NET prints them. */
export function scalarText(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  return String(value)
}

/**
 * The single string a function works on. A one-element multi-valued attribute counts as its
 * element; more than one is an error rather than a silent pick of "the first".
 */
export function toText(value: ExprValue, what: string): string | null {
  if (value === null) return null
  if (Array.isArray(value)) {
    if (value.length === 0) return null
    if (value.length > 1)
      throw new ValueError(`${what} expects a single value but got ${value.length} values`)
    return scalarText(value[0]!)
  }
  return scalarText(value)
}

/** "True"/"False" in any case, or a boolean; anything else is not a boolean. */
export function toBoolean(value: ExprValue): boolean | undefined {
  const single = Array.isArray(value) && value.length === 1 ? value[0]! : value
  if (typeof single === 'boolean') return single
  if (typeof single === 'string') {
    const lower = single.trim().toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return undefined
}

/** An integer argument such as Left's numChars; accepts numbers and numeric strings. */
export function toInteger(value: ExprValue, what: string): number {
  const text = toText(value, what)
  const number = text === null ? Number.NaN : Number(text.trim())
  if (!Number.isInteger(number))
    throw new ValueError(`${what} must be an integer, got ${JSON.stringify(text)}`)
  return number
}
