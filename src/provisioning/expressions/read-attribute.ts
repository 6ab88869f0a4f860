/**
 * `[employeeOrgData.costCenter]` is first looked up as a flat key (how Entra names it), then as
 * a path into nested objects (how a JSON source may hold it).
 */
export function readAttribute(input: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(input, name)) return input[name]
  if (!name.includes('.')) return undefined
  let current: unknown = input
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}
