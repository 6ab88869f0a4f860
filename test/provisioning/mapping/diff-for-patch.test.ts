import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ResolvedAttributes } from '../../../src/provisioning/mapping/attribute-mapping.js'
import { diffForPatch, type PatchOperation } from '../../../src/provisioning/mapping/diff-for-patch.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const WORK_EMAIL = 'emails[type eq "work"].value'

/** A user as a SCIM server returns it. */
const current = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'tgt-1',
  userName: 'ada@contoso.com',
  active: true,
  title: 'Engineer',
  name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
  emails: [
    { type: 'home', value: 'ada@home.example' },
    { type: 'work', value: 'ada@contoso.com', primary: true },
  ],
  phoneNumbers: [{ type: 'mobile', value: '+447700900000' }],
  [ENTERPRISE]: {
    department: 'R&D',
    manager: { value: 'tgt-boss', $ref: '../Users/tgt-boss', displayName: 'Boss' },
  },
  meta: { resourceType: 'User' },
}

type Case = [
  name: string,
  desired: ResolvedAttributes,
  expected: PatchOperation[],
  currentOverride?: Record<string, unknown>,
]

const cases: Case[] = [
  [
    'an unchanged user needs no operation',
    {
      userName: 'ada@contoso.com',
      title: 'Engineer',
      'name.givenName': 'Ada',
      [WORK_EMAIL]: 'ada@contoso.com',
      [`${ENTERPRISE}:department`]: 'R&D',
    },
    [],
  ],
  [
    'a changed single value is replaced',
    { title: 'Principal Engineer' },
    [{ op: 'replace', path: 'title', value: 'Principal Engineer' }],
  ],
  ['a case change is a change', { title: 'engineer' }, [{ op: 'replace', path: 'title', value: 'engineer' }]],
  [
    'a value the target lacks is added',
    { displayName: 'Ada Lovelace' },
    [{ op: 'add', path: 'displayName', value: 'Ada Lovelace' }],
  ],
  [
    'a changed sub-attribute is replaced by its dotted path',
    { 'name.familyName': 'King' },
    [{ op: 'replace', path: 'name.familyName', value: 'King' }],
  ],
  [
    'a changed work email is replaced through its filter',
    { [WORK_EMAIL]: 'ada.king@contoso.com' },
    [{ op: 'replace', path: WORK_EMAIL, value: 'ada.king@contoso.com' }],
  ],
  [
    'a missing work phone is added through its filter',
    { 'phoneNumbers[type eq "work"].value': '+442071234567' },
    [{ op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+442071234567' }],
  ],
  [
    'an enterprise attribute is replaced by its URN path',
    { [`${ENTERPRISE}:department`]: 'Research' },
    [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Research' }],
  ],
  [
    'a new enterprise attribute is added',
    { [`${ENTERPRISE}:costCenter`]: 'CC1' },
    [{ op: 'add', path: `${ENTERPRISE}:costCenter`, value: 'CC1' }],
  ],
  [
    'disabling replaces active with a boolean',
    { active: false },
    [{ op: 'replace', path: 'active', value: false }],
  ],
  ['a server that echoes "True" is not re-patched', { active: true }, [], { ...current, active: 'True' }],
  ['"False" from the server equals false', { active: false }, [], { ...current, active: 'False' }],
  ['the same manager needs nothing', { [`${ENTERPRISE}:manager`]: 'tgt-boss' }, []],
  [
    'a bare-string manager from the server is compared by id',
    { [`${ENTERPRISE}:manager`]: 'tgt-boss' },
    [],
    { [ENTERPRISE]: { manager: 'tgt-boss' } },
  ],
  [
    'a new manager is replaced with a { value } object',
    { [`${ENTERPRISE}:manager`]: 'tgt-new' },
    [{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 'tgt-new' } }],
  ],
  [
    'a first manager is added',
    { [`${ENTERPRISE}:manager`]: 'tgt-boss' },
    [{ op: 'add', path: `${ENTERPRISE}:manager`, value: { value: 'tgt-boss' } }],
    { userName: 'x' },
  ],
  [
    'a cleared manager (flowNulls) is removed',
    { [`${ENTERPRISE}:manager`]: null },
    [{ op: 'remove', path: `${ENTERPRISE}:manager` }],
  ],
  ['a cleared title (flowNulls) is removed', { title: null }, [{ op: 'remove', path: 'title' }]],
  [
    'a cleared work email removes the whole work element',
    { [WORK_EMAIL]: null },
    [{ op: 'remove', path: 'emails[type eq "work"]' }],
  ],
  [
    'clearing what is already absent needs nothing',
    { displayName: null, 'phoneNumbers[type eq "work"].value': null },
    [],
  ],
  [
    'several changes give one operation each, in mapping order',
    { title: 'CTO', active: false, 'name.givenName': 'Augusta' },
    [
      { op: 'replace', path: 'title', value: 'CTO' },
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'name.givenName', value: 'Augusta' },
    ],
  ],
]

describe('diffForPatch: minimal operations for each kind of change', () => {
  for (const [name, desired, expected, override] of cases) {
    it(name, () => {
      assert.deepEqual(diffForPatch(desired, override ?? current), expected)
    })
  }

  it('never touches attributes that are not mapped', () => {
    const operations = diffForPatch({ title: 'Engineer' }, current)
    assert.deepEqual(operations, [])
    assert.equal(
      JSON.stringify(diffForPatch({ userName: 'ada@contoso.com' }, current)).includes('mobile'),
      false,
    )
  })

  it('finds the work element case-insensitively (type is not case-exact)', () => {
    const upper = { emails: [{ type: 'Work', value: 'ada@contoso.com' }] }
    assert.deepEqual(diffForPatch({ [WORK_EMAIL]: 'ada@contoso.com' }, upper), [])
  })
})

describe('diffForPatch: group members', () => {
  const group = { id: 'g1', displayName: 'Eng', members: [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }] }

  it('adds new members and removes departed ones with value lists (Entra form)', () => {
    assert.deepEqual(diffForPatch({ members: ['u2', 'u3', 'u4', 'u5'] }, group), [
      { op: 'add', path: 'members', value: [{ value: 'u4' }, { value: 'u5' }] },
      { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
    ])
  })

  it('needs nothing when the membership is the same in another order', () => {
    assert.deepEqual(diffForPatch({ members: ['u3', 'u1', 'u2'] }, group), [])
  })

  it('only adds when the group was read without members', () => {
    assert.deepEqual(diffForPatch({ members: ['u1'] }, { id: 'g1', displayName: 'Eng' }), [
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ])
  })

  it('renames a group with one replace', () => {
    assert.deepEqual(diffForPatch({ displayName: 'Engineering' }, group), [
      { op: 'replace', path: 'displayName', value: 'Engineering' },
    ])
  })
})
