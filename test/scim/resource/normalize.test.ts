import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_STRING_LENGTH, MAX_VALUES } from '../../../src/scim/resource/coerce.js'
import { normalizeResource } from '../../../src/scim/resource/normalize.js'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { userResource } from '../../../src/scim/schema/registry.js'
import { USER_SCHEMA } from '../../../src/scim/schema/user.js'
import { assertScimError } from '../../support/assert-scim-error.js'

const normalize = (input: unknown) => normalizeResource(input, userResource)

describe('normalizeResource: Entra create bodies (entra-scim.md §3.3)', () => {
  it('keeps the S1 sample user, drops meta and the empty roles list', () => {
    const user = normalize({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [
        { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
      ],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    })
    assert.deepEqual(user, {
      schemas: [USER_SCHEMA],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [
        { primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
      ],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    })
  })

  it('keeps the validator body with enterprise attributes and coerces roles primary "True"', () => {
    const user = normalize({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'julien.vonrueden@ondricka.us',
      active: true,
      displayName: 'NDSQQTECVAAC',
      title: 'CJSGUNOAAMMQ',
      emails: [{ type: 'work', value: 'thaddeus@hammes.info', primary: true }],
      name: { givenName: 'Elfrieda', familyName: 'Urban' },
      phoneNumbers: [
        { type: 'work', value: '10-040-1308', primary: true },
        { type: 'mobile', value: '10-040-1308' },
      ],
      [ENTERPRISE_USER_SCHEMA]: {
        employeeNumber: 'OXYYEGWVLTGW',
        department: 'ZYWTBPDFHIIP',
        costCenter: 'ASHTVSKANCGL',
        organization: 'DPQRRHJMBXZE',
        division: 'WXNFEJQDRAVI',
        manager: { value: 'XYMKVVRYDIOO' },
      },
      roles: [{ primary: 'True', display: 'MRONYWGFFHXQ', value: 'WDEIISGWWQBE', type: 'XVTUOHMYUFRL' }],
    })
    assert.deepEqual(user.schemas, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA])
    assert.deepEqual(user.roles, [
      { primary: true, display: 'MRONYWGFFHXQ', value: 'WDEIISGWWQBE', type: 'XVTUOHMYUFRL' },
    ])
    assert.deepEqual(user[ENTERPRISE_USER_SCHEMA], {
      employeeNumber: 'OXYYEGWVLTGW',
      department: 'ZYWTBPDFHIIP',
      costCenter: 'ASHTVSKANCGL',
      organization: 'DPQRRHJMBXZE',
      division: 'WXNFEJQDRAVI',
      manager: { value: 'XYMKVVRYDIOO' },
    })
    assert.equal((user.phoneNumbers as unknown[]).length, 2)
  })

  it('treats explicit nulls as absent (legacy S1 Example 2)', () => {
    const user = normalize({ userName: 'a', title: null, nickName: null, name: { givenName: null } })
    assert.deepEqual(user, { schemas: [USER_SCHEMA], userName: 'a' })
  })

  it('stores "True"/"False" strings in any case as booleans (Postman "Post emp1 with string True")', () => {
    assert.equal(normalize({ userName: 'a', active: 'True' }).active, true)
    assert.equal(normalize({ userName: 'a', active: 'FALSE' }).active, false)
    assert.equal(normalize({ userName: 'a', active: false }).active, false)
  })

  it('rejects other boolean spellings with invalidValue naming the attribute', () => {
    assertScimError(
      () => normalize({ userName: 'a', active: 'yes' }),
      'invalidValue',
      'active: expected a boolean, got "yes"',
    )
    assertScimError(
      () => normalize({ userName: 'a', active: 1 }),
      'invalidValue',
      'active: expected a boolean, got number',
    )
  })

  it('tolerates a typo’d or missing extension URN in schemas and recomputes schemas', () => {
    const user = normalize({
      schemas: ['urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      userName: 'a',
      [ENTERPRISE_USER_SCHEMA]: { department: 'X' },
    })
    assert.deepEqual(user.schemas, [USER_SCHEMA, ENTERPRISE_USER_SCHEMA])
    assert.deepEqual(normalize({ userName: 'a', schemas: 'garbage' }).schemas, [USER_SCHEMA])
  })
})

describe('normalizeResource: names', () => {
  it('matches attribute names case-insensitively and outputs canonical names (Postman)', () => {
    const user = normalize({
      UserName: 'bob',
      Emails: [{ Primary: true, Type: 'work', Value: 'bob@x.com' }],
      NAME: { GivenName: 'Bob' },
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user': {
        Department: 'Sales',
        Manager: { Value: 'm1' },
      },
    })
    assert.deepEqual(user, {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'bob',
      emails: [{ primary: true, type: 'work', value: 'bob@x.com' }],
      name: { givenName: 'Bob' },
      [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1' } },
    })
  })

  it('ignores unknown and misspelled attributes (Postman "PUT misspelled attribute")', () => {
    const user = normalize({
      userName: 'a',
      nickNmae: 'typo',
      name: { givenNmae: 'typo', familyName: 'F' },
      emails: [{ value: 'a@x.com', kind: 'work' }],
      'urn:example:unknown:2.0:User': { foo: 'bar' },
      [ENTERPRISE_USER_SCHEMA]: { favouriteColour: 'blue' },
      'name.givenName': 'dotted keys are not expected in a POST',
    })
    assert.deepEqual(user, {
      schemas: [USER_SCHEMA],
      userName: 'a',
      name: { familyName: 'F' },
      emails: [{ value: 'a@x.com' }],
    })
  })

  it('does not read extension attributes from the top level', () => {
    assert.deepEqual(normalize({ userName: 'a', department: 'X' }), { schemas: [USER_SCHEMA], userName: 'a' })
  })
})

describe('normalizeResource: mutability', () => {
  it('silently drops readOnly attributes (id, meta, groups, manager.displayName)', () => {
    const user = normalize({
      id: 'client-chosen',
      userName: 'a',
      meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' },
      groups: [{ value: 'g1', display: 'G' }],
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1', displayName: 'Boss' } },
    })
    assert.deepEqual(user, {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'a',
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' } },
    })
  })

  it('never keeps a password', () => {
    assert.equal(normalize({ userName: 'a', password: 'hunter2' }).password, undefined)
    assert.equal(normalize({ userName: 'a', Password: 'hunter2' }).Password, undefined)
  })
})

describe('normalizeResource: manager shapes (entra-scim.md §3.5.4)', () => {
  const managerOf = (manager: unknown) =>
    (
      normalize({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { manager } })[ENTERPRISE_USER_SCHEMA] as
        | Record<string, unknown>
        | undefined
    )?.manager

  it('accepts {"value":"id"}', () => assert.deepEqual(managerOf({ value: 'm1' }), { value: 'm1' }))
  it('accepts a bare string id', () => assert.deepEqual(managerOf('m1'), { value: 'm1' }))
  it('accepts an array with $ref and takes the first element', () => {
    assert.deepEqual(managerOf([{ $ref: 'https://x/scim/v2/Users/m1', value: 'm1' }]), { value: 'm1' })
  })
  it('treats {"value":""}, "", null and [] as absent and drops the empty extension', () => {
    for (const manager of [{ value: '' }, '', null, []]) {
      const user = normalize({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { manager } })
      assert.deepEqual(user, { schemas: [USER_SCHEMA], userName: 'a' }, JSON.stringify(manager))
    }
  })
  it('rejects a number with invalidValue naming the path', () => {
    assertScimError(
      () => managerOf(42),
      'invalidValue',
      `${ENTERPRISE_USER_SCHEMA}:manager: expected an object with a "value", got number`,
    )
  })
})

describe('normalizeResource: types', () => {
  it('names the attribute path in type errors', () => {
    assertScimError(
      () => normalize({ userName: 'a', name: { givenName: 5 } }),
      'invalidValue',
      'name.givenName: expected a string, got number',
    )
    assertScimError(
      () => normalize({ userName: 'a', emails: [{ value: true }] }),
      'invalidValue',
      'emails[0].value: expected a string, got boolean',
    )
    assertScimError(
      () => normalize({ userName: 'a', name: 'Bob' }),
      'invalidValue',
      'name: expected an object, got string',
    )
    assertScimError(
      () => normalize({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { department: ['x'] } }),
      'invalidValue',
      `${ENTERPRISE_USER_SCHEMA}:department: expected a string, got array`,
    )
  })

  it('rejects a single object for a multi-valued attribute', () => {
    assertScimError(
      () => normalize({ userName: 'a', emails: { value: 'a@x.com' } }),
      'invalidValue',
      'emails: expected an array, got object',
    )
  })

  it('rejects non-object elements of a multi-valued complex attribute', () => {
    assertScimError(
      () => normalize({ userName: 'a', emails: ['a@x.com'] }),
      'invalidValue',
      'emails[0]: expected an object, got string',
    )
  })

  it('drops elements without a value, but keeps addresses (which have none)', () => {
    const user = normalize({
      userName: 'a',
      emails: [{ type: 'work' }, { type: 'home', value: 'h@x.com' }, null],
      addresses: [{ type: 'work', locality: 'Oslo' }],
    })
    assert.deepEqual(user.emails, [{ type: 'home', value: 'h@x.com' }])
    assert.deepEqual(user.addresses, [{ type: 'work', locality: 'Oslo' }])
  })

  it('rejects two primary values (RFC 7643 §2.4)', () => {
    assertScimError(
      () =>
        normalize({
          userName: 'a',
          emails: [
            { value: 'a@x.com', primary: true },
            { value: 'b@x.com', primary: 'True' },
          ],
        }),
      'invalidValue',
      'emails: more than one value has "primary": true',
    )
  })

  it('checks dateTime, integer and decimal values on a custom schema', () => {
    const custom = {
      ...userResource,
      extensions: [
        {
          id: 'urn:example:custom:2.0:User',
          name: 'Custom',
          description: '',
          attributes: [
            { ...baseAttr('hired'), type: 'dateTime' as const },
            { ...baseAttr('level'), type: 'integer' as const },
            { ...baseAttr('ratio'), type: 'decimal' as const },
          ],
        },
      ],
    }
    const ok = normalizeResource(
      {
        userName: 'a',
        'urn:example:custom:2.0:User': { hired: '2024-02-29T10:00:00Z', level: 3, ratio: 0.5 },
      },
      custom,
    )
    assert.deepEqual(ok['urn:example:custom:2.0:User'], {
      hired: '2024-02-29T10:00:00Z',
      level: 3,
      ratio: 0.5,
    })
    assertScimError(
      () =>
        normalizeResource({ userName: 'a', 'urn:example:custom:2.0:User': { hired: 'yesterday' } }, custom),
      'invalidValue',
      'urn:example:custom:2.0:User:hired: "yesterday" is not an ISO 8601 date-time',
    )
    assertScimError(
      () => normalizeResource({ userName: 'a', 'urn:example:custom:2.0:User': { level: 1.5 } }, custom),
      'invalidValue',
      'urn:example:custom:2.0:User:level: expected an integer, got number',
    )
    assertScimError(
      () => normalizeResource({ userName: 'a', 'urn:example:custom:2.0:User': { ratio: '0.5' } }, custom),
      'invalidValue',
      'urn:example:custom:2.0:User:ratio: expected a number, got string',
    )
  })
})

describe('normalizeResource: required attributes and bad input', () => {
  it('requires userName (Postman "POST without userName" → 400)', () => {
    assertScimError(() => normalize({ displayName: 'x' }), 'invalidValue', 'userName is required')
    assertScimError(() => normalize({ userName: '' }), 'invalidValue', 'userName is required')
    assertScimError(() => normalize({ userName: null }), 'invalidValue', 'userName is required')
  })

  it('rejects a body that is not a JSON object with invalidSyntax', () => {
    for (const body of [null, 'junk', 42, [], undefined]) {
      assertScimError(() => normalize(body), 'invalidSyntax', /the request body must be a JSON object/)
    }
  })

  it('rejects an extension key holding a non-object', () => {
    assertScimError(
      () => normalize({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: 'x' }),
      'invalidValue',
      `${ENTERPRISE_USER_SCHEMA}: expected an object, got string`,
    )
  })

  it('limits string length and the number of values', () => {
    assertScimError(
      () => normalize({ userName: 'a', displayName: 'x'.repeat(MAX_STRING_LENGTH + 1) }),
      'invalidValue',
      `displayName: longer than ${MAX_STRING_LENGTH} characters`,
    )
    assert.equal(
      normalize({ userName: 'x'.repeat(MAX_STRING_LENGTH) }).userName,
      'x'.repeat(MAX_STRING_LENGTH),
    )
    const emails = Array.from({ length: MAX_VALUES + 1 }, (_, i) => ({ value: `u${i}@x.com` }))
    assertScimError(
      () => normalize({ userName: 'a', emails }),
      'invalidValue',
      `emails: more than ${MAX_VALUES} values`,
    )
  })

  it('survives deep and huge garbage without crashing', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 10_000; i++) deep = { nested: deep, list: [deep] }
    const user = normalize({ userName: 'a', garbage: deep, name: { givenName: 'G', junk: deep } })
    assert.deepEqual(user, { schemas: [USER_SCHEMA], userName: 'a', name: { givenName: 'G' } })
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))
    assert.deepEqual(normalize({ ...wide, userName: 'a' }), { schemas: [USER_SCHEMA], userName: 'a' })
    assertScimError(
      () => normalize({ userName: 'a', name: { givenName: deep } }),
      'invalidValue',
      /name.givenName/,
    )
  })

  it('does not mutate its input', () => {
    const input = { userName: 'a', active: 'True', meta: { resourceType: 'User' } }
    const copy = structuredClone(input)
    normalize(input)
    assert.deepEqual(input, copy)
  })
})

function baseAttr(name: string) {
  return {
    name,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite' as const,
    returned: 'default' as const,
    uniqueness: 'none' as const,
  }
}
