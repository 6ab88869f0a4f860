import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { membershipBatches } from '../../../src/provisioning/engine/membership-batches.js'
import type { PatchOperation } from '../../../src/provisioning/mapping/diff-for-patch.js'

const members = (from: number, count: number) =>
  Array.from({ length: count }, (_, n) => ({ value: `m${from + n}` }))
const removal = (id: string): PatchOperation => ({ op: 'remove', path: `members[value eq "${id}"]` })
const memberCount = (batch: PatchOperation[]) =>
  batch.reduce(
    (sum, op) => sum + (Array.isArray(op.value) ? op.value.length : op.path.startsWith('members') ? 1 : 0),
    0,
  )

describe('membershipBatches', () => {
  it('leaves a small PATCH whole', () => {
    const operations: PatchOperation[] = [
      { op: 'replace', path: 'displayName', value: 'Sales' },
      { op: 'add', path: 'members', value: members(0, 3) },
      removal('x'),
    ]
    assert.deepEqual(membershipBatches(operations, 10), [operations])
  })

  it('cuts additions and removals into requests of at most the limit, attributes first, nothing lost', () => {
    const operations: PatchOperation[] = [
      { op: 'add', path: 'members', value: members(0, 25) },
      ...Array.from({ length: 12 }, (_, n) => removal(`r${n}`)),
      { op: 'replace', path: 'displayName', value: 'Sales' },
    ]
    const batches = membershipBatches(operations, 10)
    assert.deepEqual(batches.map(memberCount), [10, 10, 10, 7])
    assert.deepEqual(batches[0]![0], { op: 'replace', path: 'displayName', value: 'Sales' })
    const added = batches
      .flat()
      .flatMap((op) => (op.op === 'add' ? (op.value as Array<{ value: string }>) : []))
    assert.deepEqual(added, members(0, 25))
    const removed = batches
      .flat()
      .filter((op) => op.op === 'remove')
      .map((op) => op.path)
    assert.deepEqual(
      removed,
      Array.from({ length: 12 }, (_, n) => `members[value eq "r${n}"]`),
    )
  })

  it('sends attribute-only PATCHes unchanged, and nothing for nothing', () => {
    const operations: PatchOperation[] = [{ op: 'replace', path: 'displayName', value: 'Sales' }]
    assert.deepEqual(membershipBatches(operations, 10), [operations])
    assert.deepEqual(membershipBatches([], 10), [])
  })
})
