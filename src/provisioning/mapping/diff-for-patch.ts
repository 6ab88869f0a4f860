import type { ResolvedAttributes, ResolvedValue } from './attribute-mapping.js'
import { isAbsent, sameValue } from './same-value.js'
import { attributeText, readTarget, type TargetPath } from './target-path.js'
import { targetPathOf } from './target-paths.js'

/** One SCIM PATCH operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove'
  path: string
  value?: unknown
}

/**
 * The minimal PATCH that brings `current` (the resource as the target returns it) to the desired
 * attributes: nothing for an equal value, `add` for a value the target lacks, `replace` for a
 * changed one, `remove` for a value cleared with flowNulls (a filtered path removes the whole
 * `emails[type eq "work"]` element). Attributes that are not in `desired` are never touched.
 *
 * Members are diffed as a set of ids: `add` the new ones, `remove` (with a `value` list, Entra's
 * form) the ones no longer wanted. If `current` was read without members, nothing is removed and
 * every wanted member is added, which SCIM servers treat as a no-op for existing members.
 */
export function diffForPatch(
  desired: ResolvedAttributes,
  current: Readonly<Record<string, unknown>>,
): PatchOperation[] {
  const operations: PatchOperation[] = []
  for (const [target, value] of Object.entries(desired)) {
    const path = targetPathOf(target)
    if (path.reference && path.attribute.toLowerCase() === 'members')
      operations.push(...diffMembers(value, current))
    else if (path.reference) diffReference(path, value, current, operations)
    else diffValue(path, value, current, operations)
  }
  return operations
}

function diffValue(
  path: TargetPath,
  value: ResolvedValue,
  current: Readonly<Record<string, unknown>>,
  out: PatchOperation[],
) {
  const existing = readTarget(current, path)
  if (sameValue(value, existing)) return
  if (value === null) out.push({ op: 'remove', path: removalPath(path) })
  else out.push({ op: isAbsent(existing) ? 'add' : 'replace', path: path.text, value })
}

function diffReference(
  path: TargetPath,
  value: ResolvedValue,
  current: Readonly<Record<string, unknown>>,
  out: PatchOperation[],
) {
  const existing = readTarget(current, path)
  const existingId =
    typeof existing === 'string'
      ? existing
      : typeof existing === 'object' && existing !== null
        ? (existing as { value?: unknown }).value
        : undefined
  const currentId = typeof existingId === 'string' && existingId !== '' ? existingId : undefined
  if (value === null) {
    if (currentId !== undefined) out.push({ op: 'remove', path: path.text })
    return
  }
  const id = String(value)
  if (id === currentId) return
  out.push({ op: currentId === undefined ? 'add' : 'replace', path: path.text, value: { value: id } })
}

function diffMembers(value: ResolvedValue, current: Readonly<Record<string, unknown>>): PatchOperation[] {
  const wanted = new Set((Array.isArray(value) ? value : []).map(String))
  const members = current['members']
  const present = new Set(
    (Array.isArray(members) ? members : [])
      .map((member) => (typeof member === 'string' ? member : (member as { value?: unknown })?.value))
      .filter((id): id is string => typeof id === 'string'),
  )
  const add = [...wanted].filter((id) => !present.has(id))
  const remove = [...present].filter((id) => !wanted.has(id))
  const operations: PatchOperation[] = []
  if (add.length > 0) operations.push({ op: 'add', path: 'members', value: add.map((id) => ({ value: id })) })
  if (remove.length > 0)
    operations.push({ op: 'remove', path: 'members', value: remove.map((id) => ({ value: id })) })
  return operations
}

/** `emails[type eq "work"].value` is cleared by removing the `emails[type eq "work"]` element. */
function removalPath(path: TargetPath): string {
  if (!path.filter) return path.text
  return `${attributeText(path)}[${path.filter.attribute} eq ${JSON.stringify(path.filter.value)}]`
}
