import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveReferences } from '../../../src/provisioning/mapping/resolve-references.js'

const MANAGER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager'
const ids: Record<string, string> = { 's-boss': 't-boss', 's-1': 't-1' }
const lookup = (id: string) => ids[id]

describe('resolveReferences', () => {
  it('replaces source ids with target ids and keeps other values', () => {
    assert.deepEqual(
      resolveReferences({ userName: 'a', active: true, [MANAGER]: { reference: 's-boss' } }, lookup),
      {
        attributes: { userName: 'a', active: true, [MANAGER]: 't-boss' },
        unresolved: [],
      },
    )
  })

  it('leaves out a manager who is not in the target yet (never clears it) and reports it', () => {
    assert.deepEqual(resolveReferences({ userName: 'a', [MANAGER]: { reference: 's-later' } }, lookup), {
      attributes: { userName: 'a' },
      unresolved: [{ target: MANAGER, sourceId: 's-later' }],
    })
  })

  it('keeps the members that resolve and reports the others', () => {
    const result = resolveReferences({ members: [{ reference: 's-1' }, { reference: 's-2' }] }, lookup)
    assert.deepEqual(result, {
      attributes: { members: ['t-1'] },
      unresolved: [{ target: 'members', sourceId: 's-2' }],
    })
  })

  it('passes a cleared reference (null) through so the diff can remove it', () => {
    assert.deepEqual(resolveReferences({ [MANAGER]: null }, lookup), {
      attributes: { [MANAGER]: null },
      unresolved: [],
    })
  })
})
