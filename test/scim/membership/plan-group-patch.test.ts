import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MembershipDelta } from '../../../src/directory/memberships.js'
import { isScimError } from '../../../src/scim/errors.js'
import { memberIdsOf } from '../../../src/scim/membership/member-ids.js'
import { planGroupPatch } from '../../../src/scim/membership/plan-group-patch.js'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const body = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const members = (...Operations: unknown[]) => planGroupPatch(body(...Operations)).members.map((m) => m.item)

function rejects(run: () => unknown, scimType: string, detail: RegExp): void {
  assert.throws(run, (error) => {
    assert.ok(isScimError(error))
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType)
    assert.match(error.detail, detail)
    return true
  })
}

describe('memberIdsOf', () => {
  it('reads objects, bare strings, a single object and null, without repeats', () => {
    assert.deepEqual(memberIdsOf([{ $ref: null, value: 'a' }, { Value: 'b' }, 'c', { value: 'a' }]), [
      'a',
      'b',
      'c',
    ])
    assert.deepEqual(memberIdsOf({ value: 'x', display: 'X' }), ['x'])
    assert.deepEqual(memberIdsOf('y'), ['y'])
    assert.deepEqual(memberIdsOf(null), [])
  })

  it('names the element at fault', () => {
    rejects(() => memberIdsOf([{ value: 'a' }, { display: 'no value' }]), 'invalidValue', /^members\[1\]: /)
    rejects(() => memberIdsOf([7]), 'invalidValue', /members\[0\].*got number/)
    rejects(() => memberIdsOf({ value: '' }), 'invalidValue', /^members: /)
  })
})

describe('planGroupPatch', () => {
  it('Entra default Remove with a value array removes only those members', () => {
    assert.deepEqual(members({ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }] }), [
      { kind: 'remove', ids: ['u1'] },
    ])
  })

  it('remove without a value (or with null) removes every member', () => {
    assert.deepEqual(members({ op: 'remove', path: 'members' }), [{ kind: 'removeAll' }])
    assert.deepEqual(members({ op: 'remove', path: 'Members', value: null }), [{ kind: 'removeAll' }])
  })

  it('remove with a value filter keeps the filter for the store', () => {
    const [change] = members({ op: 'remove', path: 'members[value eq "u1"]' })
    assert.equal(change?.kind, 'removeWhere')
  })

  it('add several members in one op, replace, and the URN-qualified name', () => {
    assert.deepEqual(
      members(
        { op: 'Add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members', value: [] },
      ),
      [
        { kind: 'add', ids: ['a', 'b'] },
        { kind: 'replace', ids: [] },
      ],
    )
  })

  it('path-less values split into attribute operations and membership changes', () => {
    const plan = planGroupPatch(
      body(
        { op: 'replace', value: { displayName: 'Ops', members: [{ value: 'a' }] } },
        { op: 'add', value: { Members: ['b'] } },
      ),
    )
    assert.deepEqual(
      plan.members.map((m) => [m.index, m.item]),
      [
        [0, { kind: 'replace', ids: ['a'] }],
        [1, { kind: 'add', ids: ['b'] }],
      ],
    )
    assert.deepEqual(
      plan.attributes.map((a) => [a.index, a.item.value]),
      [[0, { displayName: 'Ops' }]],
    )
  })

  it('other paths stay attribute operations', () => {
    const plan = planGroupPatch(body({ op: 'Replace', path: 'displayName', value: 'New' }))
    assert.equal(plan.members.length, 0)
    assert.equal(plan.attributes[0]?.item.path, 'displayName')
  })

  it('refuses sub-attribute paths and value filters outside remove, naming the operation', () => {
    rejects(
      () => planGroupPatch(body({ op: 'remove', path: 'members.value' })),
      'invalidPath',
      /^Operations\[0\]: path "members.value"/,
    )
    rejects(
      () =>
        planGroupPatch(
          body(
            { op: 'add', path: 'displayName', value: 'x' },
            { op: 'replace', path: 'members[value eq "a"]', value: [] },
          ),
        ),
      'invalidPath',
      /^Operations\[1\]: .*only "remove"/,
    )
    rejects(
      () => planGroupPatch(body({ op: 'add', path: 'members', value: [{ nope: 1 }] })),
      'invalidValue',
      /^Operations\[0\]: members\[0\]/,
    )
  })
})

describe('MembershipDelta', () => {
  it('an add then a remove of the same member leaves no change', () => {
    const delta = new MembershipDelta()
    delta.add(['a', 'b'])
    delta.remove(['a', 'c'])
    assert.deepEqual(delta.toChange(), { path: 'members', old: ['c'], new: ['b'] })
    delta.add(['c'])
    delta.remove(['b'])
    assert.ok(delta.isEmpty)
  })
})
