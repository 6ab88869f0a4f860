import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { normalizeResource } from '../../../src/scim/resource/normalize.js'
import { GROUP_SCHEMA, groupSchema, MICROSOFT_GROUP_SCHEMA } from '../../../src/scim/schema/group.js'
import {
  allSchemas,
  findSchema,
  groupResource,
  resolvePath,
  resourceDescriptors,
} from '../../../src/scim/schema/registry.js'
import { userSchema } from '../../../src/scim/schema/user.js'
import { assertScimError } from '../../support/assert-scim-error.js'

const normalize = (input: unknown) => normalizeResource(input, groupResource)

describe('Group schema (RFC 7643 §4.2)', () => {
  it("keeps Entra's create body, ignoring the Microsoft schema URI and meta", () => {
    const group = normalize({
      schemas: [GROUP_SCHEMA, MICROSOFT_GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    })
    assert.deepEqual(group, {
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
    })
  })

  it('ignores the Microsoft URI used as a key, like any unknown schema', () => {
    const group = normalize({ displayName: 'G', [MICROSOFT_GROUP_SCHEMA]: { anything: 1 } })
    assert.deepEqual(group, { schemas: [GROUP_SCHEMA], displayName: 'G' })
  })

  it('canonicalises attribute and sub-attribute names case-insensitively', () => {
    const group = normalize({
      DISPLAYNAME: 'Tour Guides',
      ExternalID: 'x-1',
      Members: [{ VALUE: 'u1', Type: 'User', $REF: 'https://example.com/Users/u1' }],
      [`${GROUP_SCHEMA}:displayName`]: 'ignored: core attributes are written bare',
    })
    assert.deepEqual(group, {
      schemas: [GROUP_SCHEMA],
      displayName: 'Tour Guides',
      externalId: 'x-1',
      members: [{ value: 'u1', type: 'User', $ref: 'https://example.com/Users/u1' }],
    })
  })

  it('drops the readOnly members[].display and id, and members without a value', () => {
    const group = normalize({
      id: 'client-chosen',
      displayName: 'G',
      members: [
        { value: 'u1', display: 'Babs Jensen' },
        { $ref: null, value: 'u2' },
        { display: 'no value' },
        null,
      ],
    })
    assert.deepEqual(group, {
      schemas: [GROUP_SCHEMA],
      displayName: 'G',
      members: [{ value: 'u1' }, { value: 'u2' }],
    })
  })

  it('requires displayName (Entra matches groups by it)', () => {
    assertScimError(() => normalize({ schemas: [GROUP_SCHEMA] }), 'invalidValue', 'displayName is required')
    assertScimError(() => normalize({ displayName: '' }), 'invalidValue', 'displayName is required')
    assertScimError(
      () => normalize({ displayName: null, members: [] }),
      'invalidValue',
      'displayName is required',
    )
  })

  it('checks value types', () => {
    assertScimError(() => normalize({ displayName: 7 }), 'invalidValue', /displayName: expected a string/)
    assertScimError(
      () => normalize({ displayName: 'G', members: { value: 'u1' } }),
      'invalidValue',
      /members/,
    )
    assertScimError(() => normalize({ displayName: 'G', members: ['u1'] }), 'invalidValue', /members\[0\]/)
  })

  it('defines members as RFC 7643 §8.7.1 does, with value caseExact and display readOnly', () => {
    const members = resolvePath(groupResource, { name: 'members' })?.attribute
    assert.ok(members)
    assert.equal(members.multiValued, true)
    assert.equal(members.mutability, 'readWrite')
    assert.equal(members.returned, 'default')
    const subs = Object.fromEntries((members.subAttributes ?? []).map((sub) => [sub.name, sub]))
    assert.deepEqual(Object.keys(subs), ['value', '$ref', 'display', 'type'])
    assert.equal(subs.value?.caseExact, true)
    assert.equal(subs.value?.mutability, 'immutable')
    assert.deepEqual(subs.$ref?.referenceTypes, ['User', 'Group'])
    assert.equal(subs.$ref?.mutability, 'immutable')
    assert.equal(subs.display?.mutability, 'readOnly')
    assert.deepEqual(subs.type?.canonicalValues, ['User', 'Group'])
    assert.equal(subs.type?.mutability, 'immutable')
    const displayName = resolvePath(groupResource, { name: 'displayName' })?.attribute
    assert.equal(displayName?.required, true)
    assert.equal(displayName?.uniqueness, 'server')
  })

  it('resolves URN-qualified paths', () => {
    assert.equal(
      resolvePath(groupResource, { uri: GROUP_SCHEMA.toUpperCase(), name: 'DisplayName' })?.attribute.name,
      'displayName',
    )
    assert.equal(resolvePath(groupResource, { uri: MICROSOFT_GROUP_SCHEMA, name: 'displayName' }), undefined)
  })

  it('is registered after User, and /Schemas lists User, Group, EnterpriseUser', () => {
    assert.deepEqual(
      resourceDescriptors.map((descriptor) => descriptor.resourceType.endpoint),
      ['/Users', '/Groups'],
    )
    assert.deepEqual(groupResource.resourceType, {
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
    })
    assert.deepEqual(
      allSchemas.map((schema) => schema.name),
      ['User', 'Group', 'EnterpriseUser'],
    )
    assert.equal(findSchema(GROUP_SCHEMA.toLowerCase()), groupSchema)
    assert.equal(findSchema(MICROSOFT_GROUP_SCHEMA), undefined)
  })

  it('keeps User.groups readOnly with value, $ref, display and type (direct/indirect)', () => {
    const groups = userSchema.attributes.find((attribute) => attribute.name === 'groups')
    assert.ok(groups)
    assert.equal(groups.mutability, 'readOnly')
    assert.equal(groups.multiValued, true)
    const subs = groups.subAttributes ?? []
    assert.deepEqual(
      subs.map((sub) => sub.name),
      ['value', '$ref', 'display', 'type'],
    )
    assert.ok(subs.every((sub) => sub.mutability === 'readOnly'))
    assert.deepEqual(subs.find((sub) => sub.name === 'type')?.canonicalValues, ['direct', 'indirect'])
  })
})
