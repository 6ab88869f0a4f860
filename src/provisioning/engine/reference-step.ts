import type { UnresolvedReference } from '../mapping/resolve-references.js'
import type { ObjectLog } from './object-log.js'

/** The referenceResolution step: which references wait for their object to reach the target. */
export function recordReferences(
  log: ObjectLog,
  unresolved: readonly UnresolvedReference[],
  resolved: number,
): void {
  if (unresolved.length === 0) {
    if (resolved > 0)
      log.step('referenceResolution', 'success', `${resolved} reference(s) resolved to target ids`)
    return
  }
  const shown = unresolved
    .slice(0, 5)
    .map((reference) => `${reference.target} → source ${reference.sourceId}`)
    .join(', ')
  const more = unresolved.length > 5 ? ` and ${unresolved.length - 5} more` : ''
  log.step(
    'referenceResolution',
    'warning',
    `${unresolved.length} reference(s) wait for objects not in the target yet (${shown}${more}); they are retried every cycle and set as soon as those objects exist`,
  )
  if (log.status === 'success') log.status = 'warning'
}

/** How many reference values a resolved attribute set carries (for the log). */
export function countReferences(
  attributes: Record<string, unknown>,
  referenceTargets: readonly string[],
): number {
  let count = 0
  for (const target of referenceTargets) {
    const value = attributes[target]
    if (Array.isArray(value)) count += value.length
    else if (value !== undefined && value !== null) count += 1
  }
  return count
}
