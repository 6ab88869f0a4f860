import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { diffResources } from '../../../src/scim/resource/diff.js'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { USER_SCHEMA } from '../../../src/scim/schema/user.js'

const before = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: 'b@x.com', type: 'work' }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1' } },
}

describe('diffResources', () => {
  it('reports nothing for equal resources, whatever the key order', () => {
    const reordered = {
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' }, department: 'Sales' },
      emails: [{ type: 'work', value: 'b@x.com' }],
      name: { familyName: 'Jensen', givenName: 'Barbara' },
      userName: 'bjensen',
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    }
    assert.deepEqual(diffResources(before, reordered), [])
  })

  it('ignores schemas', () => {
    assert.deepEqual(diffResources(before, { ...before, schemas: [USER_SCHEMA] }), [])
  })

  it('reports sub-attributes of a complex attribute by dotted path', () => {
    const after = { ...before, name: { givenName: 'Babs', familyName: 'Jensen', middleName: 'J' } }
    assert.deepEqual(diffResources(before, after), [
      { path: 'name.givenName', old: 'Barbara', new: 'Babs' },
      { path: 'name.middleName', old: null, new: 'J' },
    ])
  })

  it('reports a multi-valued attribute as a whole', () => {
    const emails = [{ value: 'new@x.com', type: 'work' }]
    assert.deepEqual(diffResources(before, { ...before, emails }), [
      { path: 'emails', old: before.emails, new: emails },
    ])
  })

  it('reports extension attributes with their URN-qualified path', () => {
    const after = { ...before, [ENTERPRISE_USER_SCHEMA]: { department: 'R&D', manager: { value: 'm2' } } }
    assert.deepEqual(diffResources(before, after), [
      { path: `${ENTERPRISE_USER_SCHEMA}:department`, old: 'Sales', new: 'R&D' },
      { path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, old: 'm1', new: 'm2' },
    ])
  })

  it('reports added and removed attributes with null on the absent side', () => {
    const { emails: _emails, ...withoutEmails } = before
    const after = { ...withoutEmails, active: false }
    assert.deepEqual(diffResources(before, after), [
      { path: 'active', old: null, new: false },
      { path: 'emails', old: before.emails, new: null },
    ])
    const { [ENTERPRISE_USER_SCHEMA]: _extension, ...withoutExtension } = before
    assert.deepEqual(diffResources(before, withoutExtension), [
      { path: `${ENTERPRISE_USER_SCHEMA}:department`, old: 'Sales', new: null },
      { path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, old: 'm1', new: null },
    ])
  })

  it('lists every attribute on create and on delete', () => {
    const created = diffResources(undefined, before)
    assert.deepEqual(
      created.map((change) => change.path),
      [
        'userName',
        'name.givenName',
        'name.familyName',
        'emails',
        `${ENTERPRISE_USER_SCHEMA}:department`,
        `${ENTERPRISE_USER_SCHEMA}:manager.value`,
      ],
    )
    assert.ok(created.every((change) => change.old === null))
    const deleted = diffResources(before, undefined)
    assert.equal(deleted.length, 6)
    assert.ok(deleted.every((change) => change.new === null))
  })

  it('returns copies that survive later changes to the resources', () => {
    const after = structuredClone(before)
    after.emails.push({ value: 'c@x.com', type: 'home' })
    const change = diffResources(before, after)[0]!
    after.emails.pop()
    assert.equal((change.new as unknown[]).length, 2)
  })
})
