import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { applyPatch } from '../../../src/scim/patch/apply-patch.js'
import { MAX_OPERATIONS, PATCH_OP_SCHEMA } from '../../../src/scim/patch/parse-patch-request.js'
import { normalizeResource } from '../../../src/scim/resource/normalize.js'
import { attr } from '../../../src/scim/schema/define.js'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { type ResourceDescriptor, userResource } from '../../../src/scim/schema/registry.js'
import { USER_SCHEMA } from '../../../src/scim/schema/user.js'
import { assertScimError } from '../../support/assert-scim-error.js'

type Json = Record<string, unknown>

const EXT = ENTERPRISE_USER_SCHEMA

const baseUser: Json = normalizeResource(
  {
    userName: 'bjensen',
    externalId: 'e1',
    active: true,
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  },
  userResource,
)

function body(...operations: unknown[]): Json {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations }
}

function patch(resource: Json, ...operations: unknown[]): Json {
  return applyPatch(resource, body(...operations), userResource).resource
}

const enterprise = (resource: Json) => resource[EXT] as Json | undefined

/** A Group-like resource type: members are a multi-valued reference list (RFC 7643 §4.2). */
const groupResource: ResourceDescriptor = {
  resourceType: {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: 'urn:ietf:params:scim:schemas:core:2.0:Group',
    schemaExtensions: [],
  },
  core: {
    id: 'urn:ietf:params:scim:schemas:core:2.0:Group',
    name: 'Group',
    description: 'Group',
    attributes: [
      attr('displayName', 'string', 'Name', { required: true }),
      attr('members', 'complex', 'Members', {
        multiValued: true,
        subAttributes: [
          attr('value', 'string', 'Member id', { caseExact: true }),
          attr('$ref', 'reference', 'Member URI'),
          attr('display', 'string', 'Member name'),
          attr('type', 'string', 'User or Group'),
        ],
      }),
    ],
  },
  extensions: [],
}

const BABS = '2819c223-7f76-453a-919d-413861904646'
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210'
const baseGroup: Json = normalizeResource(
  {
    displayName: 'Tour Guides',
    members: [
      { value: BABS, display: 'Babs Jensen' },
      { value: 'u2', display: 'Second' },
    ],
  },
  groupResource,
)
const patchGroup = (resource: Json, ...operations: unknown[]) =>
  applyPatch(resource, body(...operations), groupResource).resource
const memberIds = (group: Json) => ((group.members ?? []) as Json[]).map((member) => member.value)

describe('applyPatch: the PatchOp envelope', () => {
  it('rejects a body that is not an object', () => {
    for (const bad of [null, 'x', [], 1]) {
      assertScimError(() => applyPatch(baseUser, bad, userResource), 'invalidSyntax', /must be a JSON object/)
    }
  })

  it('requires the PatchOp schema, matched case-insensitively', () => {
    const operations = [{ op: 'replace', path: 'nickName', value: 'B' }]
    assertScimError(
      () => applyPatch(baseUser, { Operations: operations }, userResource),
      'invalidSyntax',
      /schemas/,
    )
    assertScimError(
      () => applyPatch(baseUser, { schemas: [USER_SCHEMA], Operations: operations }, userResource),
      'invalidSyntax',
      `schemas: must contain "${PATCH_OP_SCHEMA}"`,
    )
    const upper = { schemas: [PATCH_OP_SCHEMA.toUpperCase()], Operations: operations }
    assert.equal(applyPatch(baseUser, upper, userResource).resource.nickName, 'B')
  })

  it('accepts "operations" in any case', () => {
    const lower = {
      schemas: [PATCH_OP_SCHEMA],
      operations: [{ op: 'replace', path: 'nickName', value: 'B' }],
    }
    assert.equal(applyPatch(baseUser, lower, userResource).resource.nickName, 'B')
  })

  it('requires a non-empty Operations array of at most MAX_OPERATIONS', () => {
    for (const operations of [undefined, [], {}, 'x']) {
      assertScimError(
        () => applyPatch(baseUser, { schemas: [PATCH_OP_SCHEMA], Operations: operations }, userResource),
        'invalidSyntax',
        'Operations: expected a non-empty array',
      )
    }
    const many = Array.from({ length: MAX_OPERATIONS + 1 }, () => ({
      op: 'add',
      path: 'nickName',
      value: 'x',
    }))
    assertScimError(
      () => patch(baseUser, ...many),
      'invalidSyntax',
      `Operations: more than ${MAX_OPERATIONS} operations`,
    )
  })

  it('accepts op in any case: Add, Replace, Remove, REPLACE (entra-scim.md §14 item 2)', () => {
    const result = patch(
      baseUser,
      { op: 'Add', path: 'nickName', value: 'Babs' },
      { op: 'REPLACE', path: 'title', value: 'Boss' },
      { op: 'Remove', path: 'externalId' },
      { Op: 'replace', Path: 'displayName', Value: 'Babs J' },
    )
    assert.equal(result.nickName, 'Babs')
    assert.equal(result.title, 'Boss')
    assert.equal(result.externalId, undefined)
    assert.equal(result.displayName, 'Babs J')
  })

  it('rejects an unknown op naming Operations[i].op', () => {
    assertScimError(
      () =>
        patch(
          baseUser,
          { op: 'add', path: 'nickName', value: 'x' },
          { op: 'merge', path: 'nickName', value: 'x' },
        ),
      'invalidSyntax',
      'Operations[1].op: expected "add", "replace" or "remove", got "merge"',
    )
    assertScimError(
      () => patch(baseUser, { path: 'nickName', value: 'x' }),
      'invalidSyntax',
      /Operations\[0\]\.op/,
    )
    assertScimError(
      () => patch(baseUser, 'add'),
      'invalidSyntax',
      'Operations[0]: expected an object, got string',
    )
  })

  it('requires a value for add and replace', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'nickName' }),
      'invalidSyntax',
      'Operations[0].value: required for "replace"',
    )
  })
})

describe('applyPatch: entra-scim.md §3.5.1 default mode and aadOptscim062020 flag', () => {
  const expected = {
    displayName: 'Pvlo',
    workEmail: 'TestBcwqnm@test.microsoft.com',
    givenName: 'Gtfd',
    familyName: 'Pkqf',
    externalId: 'Eqpj',
    employeeNumber: 'Eqpj',
  }

  it('default "replace several": one Replace op per attribute', () => {
    const result = patch(
      baseUser,
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${EXT}:employeeNumber`, value: 'Eqpj' },
    )
    assert.equal(result.displayName, expected.displayName)
    assert.deepEqual(result.emails, [{ value: expected.workEmail, type: 'work', primary: true }])
    assert.deepEqual(result.name, { givenName: expected.givenName, familyName: expected.familyName })
    assert.equal(result.externalId, expected.externalId)
    assert.deepEqual(enterprise(result), { employeeNumber: expected.employeeNumber })
    assert.deepEqual(result.schemas, [USER_SCHEMA, EXT])
  })

  it('flag "replace several": a filtered op plus one path-less op with dotted and URN keys', () => {
    const result = patch(
      baseUser,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          [`${EXT}:employeeNumber`]: 'Aklq',
        },
      },
    )
    assert.equal(result.displayName, 'Bjfe')
    assert.deepEqual(result.emails, [{ value: 'TestMhvaes@test.microsoft.com', type: 'work', primary: true }])
    assert.deepEqual(result.name, { givenName: 'Kkom', familyName: 'Unua' })
    assert.deepEqual(enterprise(result), { employeeNumber: 'Aklq' })
  })

  it('validator path-less form {"name.givenName","name.familyName"}', () => {
    const result = patch(baseUser, {
      op: 'replace',
      value: { 'name.givenName': 'Oswaldo', 'name.familyName': 'Rylan' },
    })
    assert.deepEqual(result.name, { givenName: 'Oswaldo', familyName: 'Rylan' })
  })

  it('default disable: Replace active "False"', () => {
    assert.equal(patch(baseUser, { op: 'Replace', path: 'active', value: 'False' }).active, false)
  })

  it('flag disable: replace active false', () => {
    assert.equal(patch(baseUser, { op: 'replace', path: 'active', value: false }).active, false)
  })

  it('default add single-valued: Add nickName', () => {
    assert.equal(patch(baseUser, { op: 'Add', path: 'nickName', value: 'Babs' }).nickName, 'Babs')
  })

  it('flag add single-valued: add nickName', () => {
    assert.equal(patch(baseUser, { op: 'add', path: 'nickName', value: 'Babs' }).nickName, 'Babs')
  })

  it('default remove member: Remove members with a value array removes only those members', () => {
    const result = patchGroup(baseGroup, { op: 'Remove', path: 'members', value: [{ value: BABS }] })
    assert.deepEqual(memberIds(result), ['u2'])
    const withRef = patchGroup(baseGroup, {
      op: 'Remove',
      path: 'members',
      value: [{ $ref: null, value: 'u2' }],
    })
    assert.deepEqual(memberIds(withRef), [BABS])
  })

  it('flag remove member: remove members[value eq "…"]', () => {
    const result = patchGroup(baseGroup, { op: 'remove', path: `members[value eq "${BABS}"]` })
    assert.deepEqual(memberIds(result), ['u2'])
  })

  it('default remove of a member that is not there changes nothing', () => {
    assert.deepEqual(
      patchGroup(baseGroup, { op: 'Remove', path: 'members', value: [{ value: 'nobody' }] }),
      baseGroup,
    )
  })
})

describe('applyPatch: manager shapes (entra-scim.md §3.5.4, table row by row)', () => {
  const withManager = patch(baseUser, { op: 'add', path: `${EXT}:manager`, value: 'm1' })

  it('row 1: Add unqualified "manager" with an array [{$ref, value}]', () => {
    const result = patch(baseUser, {
      op: 'Add',
      path: 'manager',
      value: [{ $ref: 'http://example.com/scim/Users/m1', value: 'm1' }],
    })
    assert.deepEqual(enterprise(result), { manager: { value: 'm1' } })
    assert.deepEqual(result.schemas, [USER_SCHEMA, EXT])
  })

  it('row 2: add on the URN path with a bare string', () => {
    assert.deepEqual(enterprise(withManager), { manager: { value: 'm1' } })
  })

  it('row 3: validator Add Manager / Replace Manager with a bare string', () => {
    const replaced = patch(withManager, { op: 'replace', path: `${EXT}:manager`, value: 'm2' })
    assert.deepEqual(enterprise(replaced), { manager: { value: 'm2' } })
  })

  it('row 4: validator Remove Manager: replace with {"value":""} or ""', () => {
    for (const value of [{ value: '' }, '', null]) {
      const result = patch(withManager, { op: 'replace', path: `${EXT}:manager`, value })
      assert.equal(enterprise(result), undefined, JSON.stringify(value))
      assert.deepEqual(result.schemas, [USER_SCHEMA])
    }
  })

  it('row 5: remove manager[value eq "<id>"] removes only when it matches', () => {
    assert.equal(enterprise(patch(withManager, { op: 'remove', path: 'manager[value eq "m1"]' })), undefined)
    const kept = patch(withManager, { op: 'remove', path: 'manager[value eq "other"]' })
    assert.deepEqual(enterprise(kept), { manager: { value: 'm1' } })
  })

  it('row 6: the RFC object form {"value":"<id>"}', () => {
    const result = patch(baseUser, { op: 'replace', path: `${EXT}:manager`, value: { value: 'm3' } })
    assert.deepEqual(enterprise(result), { manager: { value: 'm3' } })
  })

  it('plain remove of manager, qualified or not', () => {
    assert.equal(enterprise(patch(withManager, { op: 'remove', path: 'manager' })), undefined)
    assert.equal(enterprise(patch(withManager, { op: 'remove', path: `${EXT}:manager` })), undefined)
  })

  it('replaces the whole reference, dropping a stale $ref and the readOnly displayName', () => {
    const result = patch(withManager, {
      op: 'replace',
      path: 'manager',
      value: { value: 'm2', $ref: 'https://x/Users/m2', displayName: 'Boss' },
    })
    assert.deepEqual(enterprise(result), { manager: { value: 'm2' } })
  })

  it('sets manager.value and a path-less URN key holding an object', () => {
    assert.deepEqual(enterprise(patch(baseUser, { op: 'add', path: 'manager.value', value: 'm4' })), {
      manager: { value: 'm4' },
    })
    const result = patch(baseUser, { op: 'replace', value: { [EXT]: { manager: 'm5', department: 'Ops' } } })
    assert.deepEqual(enterprise(result), { manager: { value: 'm5' }, department: 'Ops' })
  })

  it('rejects writing the readOnly manager.displayName', () => {
    assertScimError(
      () => patch(withManager, { op: 'replace', path: 'manager.displayName', value: 'x' }),
      'mutability',
      'Operations[0]: path "manager.displayName": attribute is readOnly',
    )
  })
})

describe('applyPatch: disable user (entra-scim.md §3.6, §3.5.3)', () => {
  const shapes: [string, unknown, boolean][] = [
    ['Replace', 'False', false],
    ['replace', false, false],
    ['Replace', false, false],
    ['Replace', 'false', false],
    ['Replace', 'FALSE', false],
    ['Replace', 'True', true],
    ['replace', true, true],
  ]
  for (const [op, value, expected] of shapes) {
    it(`{"op":"${op}","path":"active","value":${JSON.stringify(value)}} → active ${expected}`, () => {
      const start = expected ? { ...baseUser, active: false } : baseUser
      assert.equal(patch(start, { op, path: 'active', value }).active, expected)
    })
  }

  it('rejects a non-boolean string for active', () => {
    assertScimError(
      () => patch(baseUser, { op: 'Replace', path: 'active', value: 'no' }),
      'invalidValue',
      'Operations[0]: active: expected a boolean, got "no"',
    )
  })
})

describe('applyPatch: RFC 7644 §3.5.2.1 add (adapted to User)', () => {
  it('path-less add of emails and nickname appends the email and sets nickName', () => {
    const result = patch(baseUser, {
      op: 'add',
      value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' },
    })
    assert.deepEqual(result.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ])
    assert.equal(result.nickName, 'Babs')
  })

  it('add members appends a member (Group)', () => {
    const result = patchGroup(baseGroup, {
      op: 'add',
      path: 'members',
      value: [{ display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES }],
    })
    assert.deepEqual(memberIds(result), [BABS, 'u2', JAMES])
  })

  it('add on a multi-valued attribute does not duplicate an identical element', () => {
    const result = patch(baseUser, {
      op: 'add',
      path: 'emails',
      value: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    })
    assert.deepEqual(result.emails, baseUser.emails)
  })

  it('add members dedupes by value and accepts a bare string id (Postman garbage test)', () => {
    const result = patchGroup(
      baseGroup,
      { op: 'Add', path: 'members', value: [{ $ref: null, value: BABS }, { value: 'u3' }] },
      { op: 'add', path: 'members', value: 'string id 1' },
    )
    assert.deepEqual(memberIds(result), [BABS, 'u2', 'u3', 'string id 1'])
  })

  it('add of a new primary email clears primary on the others (RFC 7644 §3.5.2)', () => {
    const result = patch(baseUser, {
      op: 'add',
      path: 'emails',
      value: [{ value: 'h@x.org', type: 'home', primary: true }],
    })
    assert.deepEqual(result.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'h@x.org', type: 'home', primary: true },
    ])
  })

  it('add on a single-valued attribute overwrites it', () => {
    assert.equal(patch(baseUser, { op: 'add', path: 'userName', value: 'babs' }).userName, 'babs')
  })

  it('roles Add with a JSON string inside value is stored as given (entra-scim.md §3.5.5)', () => {
    const role = '{"id":"06b0","value":"25","displayName":"Role1234"}'
    const result = patch(baseUser, { op: 'Add', path: 'roles', value: [{ value: role }] })
    assert.deepEqual(result.roles, [{ value: role }])
  })
})

describe('applyPatch: RFC 7644 §3.5.2.2 remove (adapted to User)', () => {
  const twoEmails = patch(baseUser, {
    op: 'add',
    path: 'emails',
    value: [{ value: 'babs@jensen.org', type: 'home' }],
  })

  it('remove members[value eq "…"] removes one member', () => {
    assert.deepEqual(
      memberIds(patchGroup(baseGroup, { op: 'remove', path: `members[value eq "${BABS}"]` })),
      ['u2'],
    )
  })

  it('remove members removes them all (Postman "remove all members")', () => {
    assert.equal(patchGroup(baseGroup, { op: 'remove', path: 'members' }).members, undefined)
  })

  it('remove emails[type eq "work" and value ew "example.com"] removes the matching email', () => {
    const result = patch(twoEmails, {
      op: 'remove',
      path: 'emails[type eq "work" and value ew "example.com"]',
    })
    assert.deepEqual(result.emails, [{ value: 'babs@jensen.org', type: 'home' }])
  })

  it('remove then add in one request replaces one member', () => {
    const result = patchGroup(
      baseGroup,
      { op: 'remove', path: `members[value eq "${BABS}"]` },
      { op: 'add', path: 'members', value: [{ display: 'James Smith', value: JAMES }] },
    )
    assert.deepEqual(memberIds(result), ['u2', JAMES])
  })

  it('remove X[filter].sub removes the sub-attribute from matching elements only', () => {
    const result = patch(twoEmails, { op: 'remove', path: 'emails[type eq "work"].primary' })
    assert.deepEqual(result.emails, [
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home' },
    ])
  })

  it('removing the value of an element drops the element', () => {
    const result = patch(twoEmails, { op: 'remove', path: 'emails[type eq "home"].value' })
    assert.deepEqual(result.emails, baseUser.emails)
  })

  it('remove of a missing attribute is a no-op', () => {
    assert.deepEqual(patch(baseUser, { op: 'remove', path: 'nickName' }), baseUser)
    assert.deepEqual(patch(baseUser, { op: 'remove', path: 'phoneNumbers[type eq "fax"]' }), baseUser)
    assert.deepEqual(patch(baseUser, { op: 'remove', path: `${EXT}:department` }), baseUser)
  })

  it('remove of a sub-attribute and of a whole complex attribute', () => {
    assert.deepEqual(patch(baseUser, { op: 'remove', path: 'name.givenName' }).name, { familyName: 'Jensen' })
    assert.equal(patch(baseUser, { op: 'remove', path: 'name' }).name, undefined)
  })

  it('remove without a path fails with noTarget', () => {
    assertScimError(
      () => patch(baseUser, { op: 'remove', value: { nickName: 'x' } }),
      'noTarget',
      'Operations[0]: path: required for "remove"',
    )
  })

  it('remove of userName fails re-validation: userName is required', () => {
    assertScimError(
      () => patch(baseUser, { op: 'remove', path: 'userName' }),
      'invalidValue',
      'userName is required',
    )
  })
})

describe('applyPatch: RFC 7644 §3.5.2.3 replace (adapted to User)', () => {
  it('replace members replaces the whole list', () => {
    const result = patchGroup(baseGroup, {
      op: 'replace',
      path: 'members',
      value: [
        { display: 'Babs Jensen', value: BABS },
        { display: 'James Smith', value: JAMES },
      ],
    })
    assert.deepEqual(memberIds(result), [BABS, JAMES])
  })

  it('replace addresses[type eq "work"] with an object (creates it when missing)', () => {
    const address = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    }
    const created = patch(baseUser, { op: 'replace', path: 'addresses[type eq "work"]', value: address })
    assert.deepEqual(created.addresses, [address])
    const replaced = patch(created, {
      op: 'replace',
      path: 'addresses[type eq "work"]',
      value: { type: 'work', locality: 'Burbank' },
    })
    assert.deepEqual(replaced.addresses, [{ type: 'work', locality: 'Burbank' }])
  })

  it('replace addresses[type eq "work"].streetAddress changes one sub-attribute', () => {
    const start = patch(baseUser, {
      op: 'add',
      path: 'addresses',
      value: [
        { type: 'work', streetAddress: '911 Universal City Plaza', locality: 'Hollywood' },
        { type: 'home', streetAddress: '1 Home St' },
      ],
    })
    const result = patch(start, {
      op: 'replace',
      path: 'addresses[type eq "work"].streetAddress',
      value: '1010 Broadway Ave',
    })
    assert.deepEqual(result.addresses, [
      { type: 'work', streetAddress: '1010 Broadway Ave', locality: 'Hollywood' },
      { type: 'home', streetAddress: '1 Home St' },
    ])
  })

  it('path-less replace of emails and nickname replaces the list', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]
    const result = patch(baseUser, { op: 'replace', value: { emails, nickname: 'Babs' } })
    assert.deepEqual(result.emails, emails)
    assert.equal(result.nickName, 'Babs')
  })

  it('replace of a complex attribute merges the given sub-attributes', () => {
    const result = patch(baseUser, {
      op: 'replace',
      path: 'name',
      value: { givenName: 'Babs', middleName: 'J' },
    })
    assert.deepEqual(result.name, { givenName: 'Babs', familyName: 'Jensen', middleName: 'J' })
  })

  it('replace with two primaries in the new list fails re-validation', () => {
    assertScimError(
      () =>
        patch(baseUser, {
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'a@x.com', primary: true },
            { value: 'b@x.com', primary: true },
          ],
        }),
      'invalidValue',
      'Operations[0]: emails: more than one value has "primary": true',
    )
  })
})

describe('applyPatch: filtered paths and Entra upserts (entra-scim.md §3.5.2)', () => {
  it('Replace emails[type eq "work"].value on a user without a work email creates it', () => {
    const noEmail = { ...baseUser }
    delete noEmail.emails
    const result = patch(noEmail, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@x.com' })
    assert.deepEqual(result.emails, [{ type: 'work', value: 'w@x.com' }])
  })

  it('Add phoneNumbers[type eq "mobile"].value appends a mobile next to the work number', () => {
    const start = patch(baseUser, { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '1' })
    const result = patch(start, { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '2' })
    assert.deepEqual(result.phoneNumbers, [
      { type: 'work', value: '1' },
      { type: 'mobile', value: '2' },
    ])
  })

  it('updates the matching element and keeps its primary', () => {
    const result = patch(baseUser, {
      op: 'Replace',
      path: 'emails[type eq "work"].value',
      value: 'new@x.com',
    })
    assert.deepEqual(result.emails, [{ value: 'new@x.com', type: 'work', primary: true }])
  })

  it('matches the filter value case-insensitively for caseExact=false sub-attributes', () => {
    const result = patch(baseUser, {
      op: 'Replace',
      path: 'emails[type eq "WORK"].value',
      value: 'new@x.com',
    })
    assert.deepEqual(result.emails, [{ value: 'new@x.com', type: 'work', primary: true }])
  })

  it('emails[type eq "work"].primary "True" is coerced to a boolean', () => {
    const start = patch(baseUser, { op: 'remove', path: 'emails[type eq "work"].primary' })
    const result = patch(start, { op: 'Replace', path: 'emails[type eq "work"].primary', value: 'True' })
    assert.deepEqual(result.emails, baseUser.emails)
  })

  it('roles[primary eq "True"].value|display|type create one primary role', () => {
    const result = patch(
      baseUser,
      { op: 'Add', path: 'roles[primary eq "True"].value', value: 'Admin' },
      { op: 'Add', path: 'roles[primary eq "True"].display', value: 'Administrator' },
      { op: 'Add', path: 'roles[primary eq "True"].type', value: 'WindowsAzureActiveDirectoryRole' },
    )
    assert.deepEqual(result.roles, [
      { primary: true, value: 'Admin', display: 'Administrator', type: 'WindowsAzureActiveDirectoryRole' },
    ])
  })

  it('addresses[type eq "work"].* build one work address', () => {
    const result = patch(
      baseUser,
      { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Oslo' },
      { op: 'Replace', path: 'addresses[type eq "work"].postalCode', value: '0150' },
      { op: 'Replace', path: 'addresses[type eq "work"].country', value: 'NO' },
    )
    assert.deepEqual(result.addresses, [
      { type: 'work', streetAddress: '1 Main St', locality: 'Oslo', postalCode: '0150', country: 'NO' },
    ])
  })

  it('fails with noTarget when nothing matches a filter that does not describe an element', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'emails[value co "nowhere"].type', value: 'home' }),
      'noTarget',
      /Operations\[0\]: path "emails\[value co "nowhere"\]\.type": no value matches/,
    )
  })

  it('a null value on a filtered sub-attribute removes it and creates nothing', () => {
    const result = patch(baseUser, { op: 'replace', path: 'phoneNumbers[type eq "fax"].value', value: null })
    assert.deepEqual(result, baseUser)
  })
})

describe('applyPatch: null and empty values (validator null update, entra-scim.md §3.5.3)', () => {
  const full = patch(baseUser, {
    op: 'add',
    value: { nickName: 'Babs', title: 'Boss', [`${EXT}:department`]: 'D' },
  })

  for (const value of ['', null]) {
    it(`replace with ${JSON.stringify(value)} removes single-valued attributes`, () => {
      const result = patch(
        full,
        { op: 'replace', path: 'nickName', value },
        { op: 'replace', path: `${EXT}:department`, value },
        { op: 'replace', path: 'name.givenName', value },
      )
      assert.equal(result.nickName, undefined)
      assert.equal(enterprise(result), undefined)
      assert.deepEqual(result.name, { familyName: 'Jensen' })
      assert.deepEqual(result.schemas, [USER_SCHEMA])
    })

    it(`path-less replace with ${JSON.stringify(value)} values removes them`, () => {
      const result = patch(full, { op: 'replace', value: { title: value, 'name.familyName': value } })
      assert.equal(result.title, undefined)
      assert.deepEqual(result.name, { givenName: 'Barbara' })
    })
  }

  it('replace of emails with [] or null removes the list', () => {
    assert.equal(patch(baseUser, { op: 'replace', path: 'emails', value: [] }).emails, undefined)
    assert.equal(patch(baseUser, { op: 'replace', path: 'emails', value: null }).emails, undefined)
  })
})

describe('applyPatch: errors', () => {
  it('rejects readOnly targets with mutability', () => {
    for (const path of ['id', 'meta', 'meta.lastModified', 'groups', 'groups[value eq "g"].display']) {
      assertScimError(
        () => patch(baseUser, { op: 'replace', path, value: 'x' }),
        'mutability',
        `Operations[0]: path "${path}": attribute is readOnly`,
      )
    }
  })

  it('rejects unknown attributes in a path with invalidPath', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'nickNmae', value: 'x' }),
      'invalidPath',
      'Operations[0]: path "nickNmae": unknown attribute "nickNmae"',
    )
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'name.nope', value: 'x' }),
      'invalidPath',
      'Operations[0]: path "name.nope": unknown sub-attribute "nope" of name',
    )
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'emails[kind eq "work"].value', value: 'x' }),
      'invalidPath',
      'Operations[0]: path "emails[kind eq "work"].value": unknown attribute "kind" in value filter',
    )
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'urn:example:nope:2.0:User:x', value: 'x' }),
      'invalidPath',
      /unknown attribute "urn:example:nope:2.0:User:x"/,
    )
  })

  it('rejects a path that does not parse with invalidPath', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'emails[type eq', value: 'x' }),
      'invalidPath',
      /^Operations\[0\]: /,
    )
  })

  it('rejects a value filter on a single-valued simple attribute with invalidPath', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'userName[value eq "x"]', value: 'y' }),
      'invalidPath',
      'Operations[0]: path "userName[value eq "x"]": userName is not multi-valued',
    )
  })

  it('ignores unknown and readOnly keys inside a path-less value, as POST does', () => {
    const result = patch(baseUser, {
      op: 'replace',
      value: {
        nickNmae: 'typo',
        id: 'x',
        meta: {},
        'name.nope': 'x',
        'urn:example:x:2.0:User:y': 1,
        nickName: 'ok',
      },
    })
    assert.deepEqual(result, { ...baseUser, nickName: 'ok' })
  })

  it('rejects a path-less value that is not an object', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', value: 'x' }),
      'invalidValue',
      'Operations[0]: value: expected an object when "path" is omitted, got string',
    )
  })

  it('rejects values of the wrong type naming the path', () => {
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'name.givenName', value: 5 }),
      'invalidValue',
      'Operations[0]: name.givenName: expected a string, got number',
    )
    assertScimError(
      () => patch(baseUser, { op: 'replace', path: 'emails[type eq "work"].value', value: { x: 1 } }),
      'invalidValue',
      'Operations[0]: emails[type eq "work"].value: expected a string, got object',
    )
    assertScimError(
      () => patch(baseUser, { op: 'replace', value: { 'name.givenName': 5 } }),
      'invalidValue',
      'Operations[0]: name.givenName: expected a string, got number',
    )
    assertScimError(
      () => patch(baseUser, { op: 'add', path: 'emails', value: [42] }),
      'invalidValue',
      'Operations[0]: emails[0]: expected an object, got number',
    )
  })

  it('is atomic: a failing op leaves the input untouched and returns nothing', () => {
    const input = structuredClone(baseUser)
    assert.throws(() =>
      patch(
        input,
        { op: 'replace', path: 'nickName', value: 'changed' },
        { op: 'replace', path: 'id', value: 'x' },
      ),
    )
    assert.deepEqual(input, baseUser)
  })

  it('never mutates its input on success', () => {
    const input = structuredClone(baseUser)
    patch(
      input,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' },
      { op: 'remove', path: 'name' },
    )
    assert.deepEqual(input, baseUser)
  })
})

describe('applyPatch: canonical output', () => {
  it('drops a password and anything readOnly', () => {
    const result = patch(
      baseUser,
      { op: 'replace', path: 'password', value: 'hunter2' },
      { op: 'add', value: { password: 'x' } },
    )
    assert.deepEqual(result, baseUser)
  })

  it('recomputes schemas when extension attributes come and go', () => {
    const added = patch(baseUser, { op: 'add', path: `${EXT}:department`, value: 'Sales' })
    assert.deepEqual(added.schemas, [USER_SCHEMA, EXT])
    const removed = patch(added, { op: 'remove', path: `${EXT}:department` })
    assert.deepEqual(removed.schemas, [USER_SCHEMA])
  })

  it('accepts the extension URN as a path holding an object, and removes it as a whole', () => {
    const added = patch(baseUser, {
      op: 'add',
      path: EXT,
      value: { Department: 'Sales', manager: { value: 'm1' } },
    })
    assert.deepEqual(enterprise(added), { department: 'Sales', manager: { value: 'm1' } })
    assert.equal(enterprise(patch(added, { op: 'remove', path: EXT })), undefined)
  })

  it('case-insensitive attribute names in paths give canonical keys', () => {
    const result = patch(
      baseUser,
      { op: 'replace', path: 'NAME.GIVENNAME', value: 'B' },
      {
        op: 'replace',
        path: `${EXT.toLowerCase()}:DEPARTMENT`,
        value: 'D',
      },
    )
    assert.deepEqual(result.name, { givenName: 'B', familyName: 'Jensen' })
    assert.deepEqual(enterprise(result), { department: 'D' })
  })
})
