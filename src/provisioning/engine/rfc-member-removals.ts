import type { PatchOperation } from '../mapping/diff-for-patch.js'

/**
 * `remove members` with a value list is Entra's form; an RFC 7644 §3.5.2.2 server reads a remove
 * without a filter as "remove every member". Each removal is sent as `members[value eq "id"]`,
 * which RFC servers and Entra-compatible servers (Roster) both read as "this member only".
 */
export function rfcMemberRemovals(operations: readonly PatchOperation[]): PatchOperation[] {
  return operations.flatMap((operation) => {
    if (operation.op !== 'remove' || operation.path !== 'members' || !Array.isArray(operation.value))
      return [operation]
    return (operation.value as Array<{ value: string }>).map((member) => ({
      op: 'remove' as const,
      path: `members[value eq ${JSON.stringify(member.value)}]`,
    }))
  })
}
