import type { PatchOperation } from '../mapping/diff-for-patch.js'

/**
 * Members changed per PATCH request. A group of 100,000 members in one request is megabytes that
 * most SCIM servers refuse (Roster's default body limit is 1 MiB, 413 beyond); 500 members keep a
 * request near 30 KB. Entra documents no batch size, so this is ours.
 */
export const MEMBERS_PER_PATCH = 500

const isMemberChange = (operation: PatchOperation) =>
  operation.path === 'members' || operation.path.startsWith('members[')

/**
 * Splits a group's PATCH into requests of at most `perRequest` member changes each: attribute
 * operations travel with the first request, member additions are cut into slices of the value
 * list, and removals (one operation per member) are counted one each. Applying the requests in
 * order has the effect of the whole PATCH; after a failure part-way, the next cycle's diff against
 * the target finishes the rest.
 */
export function membershipBatches(
  operations: readonly PatchOperation[],
  perRequest = MEMBERS_PER_PATCH,
): PatchOperation[][] {
  const batches: PatchOperation[][] = [operations.filter((operation) => !isMemberChange(operation))]
  let room = perRequest
  const current = () => batches[batches.length - 1]!
  const makeRoom = () => {
    if (room > 0) return
    batches.push([])
    room = perRequest
  }
  for (const operation of operations) {
    if (!isMemberChange(operation)) continue
    const values = Array.isArray(operation.value) ? (operation.value as unknown[]) : undefined
    if (!values || values.length === 0) {
      makeRoom()
      current().push(operation)
      room -= 1
      continue
    }
    for (let start = 0; start < values.length; ) {
      makeRoom()
      const slice = values.slice(start, start + room)
      current().push({ ...operation, value: slice })
      room -= slice.length
      start += slice.length
    }
  }
  return batches.filter((batch) => batch.length > 0)
}
