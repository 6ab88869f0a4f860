import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type AssignmentScope, scopeByAssignment } from '../../../src/provisioning/source/assignment.js'
import type { SourceSnapshot } from '../../../src/provisioning/source/connector.js'

const users = ['ann', 'bo', 'cy', 'dag', 'eve', 'fay'].map((id) => ({ id, attributes: {} }))
const group = (id: string, members: string[]) => ({ id, displayName: id, attributes: {}, members })
// managers ⊃ eng-managers ⊃ leads; loop-a and loop-b contain each other; solo stands alone.
const snapshot: SourceSnapshot = {
  users,
  groups: [
    group('managers', ['ann', 'eng-managers']),
    group('eng-managers', ['bo', 'leads']),
    group('leads', ['cy', 'bo']),
    group('loop-a', ['dag', 'loop-b']),
    group('loop-b', ['eve', 'loop-a']),
    group('solo', ['fay']),
  ],
}
const scope = (assignment: AssignmentScope) => {
  const result = scopeByAssignment(snapshot, assignment)
  return {
    users: [...result.users].sort(),
    groups: [...result.groups].sort(),
    via: Object.fromEntries(result.via),
    unknown: result.unknownAssignments,
  }
}

describe('scopeByAssignment', () => {
  it('expands nested groups: members of groups inside an assigned group are in scope', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: ['managers'] }), {
      users: ['ann', 'bo', 'cy'],
      groups: ['eng-managers', 'leads', 'managers'],
      via: { ann: 'managers', bo: 'managers', cy: 'managers' },
      unknown: [],
    })
  })

  it('expands each group once when groups contain each other', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: ['loop-a'] }), {
      users: ['dag', 'eve'],
      groups: ['loop-a', 'loop-b'],
      via: { dag: 'loop-a', eve: 'loop-a' },
      unknown: [],
    })
  })

  it('adds directly assigned users, and names the first assignment that brings each user in', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: ['leads', 'managers'], userIds: ['fay', 'cy'] }), {
      users: ['ann', 'bo', 'cy', 'fay'],
      groups: ['eng-managers', 'leads', 'managers'],
      via: { fay: null, cy: null, bo: 'leads', ann: 'managers' },
      unknown: [],
    })
  })

  it('can behave like Entra: direct members only, nested groups left out', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: ['managers'], nested: false }), {
      users: ['ann'],
      groups: ['managers'],
      via: { ann: 'managers' },
      unknown: [],
    })
  })

  it('reports assignments that match nothing in the snapshot', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: ['gone', 'ann'], userIds: ['nobody', 'solo'] }), {
      users: [],
      groups: [],
      via: {},
      unknown: ['nobody', 'solo', 'gone', 'ann'],
    })
  })

  it('puts nothing in scope when nothing is assigned', () => {
    assert.deepEqual(scope({ mode: 'assigned', groupIds: [] }), {
      users: [],
      groups: [],
      via: {},
      unknown: [],
    })
  })

  it('puts every user and group in scope in "all" mode', () => {
    assert.deepEqual(scope({ mode: 'all' }), {
      users: ['ann', 'bo', 'cy', 'dag', 'eve', 'fay'],
      groups: ['eng-managers', 'leads', 'loop-a', 'loop-b', 'managers', 'solo'],
      via: {},
      unknown: [],
    })
  })
})
