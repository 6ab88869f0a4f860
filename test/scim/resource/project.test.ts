import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributePath } from '../../../src/scim/filter/ast.js'
import { parseAttributeList } from '../../../src/scim/filter/parse-path.js'
import { projectResource } from '../../../src/scim/resource/project.js'
import { ENTERPRISE_USER_SCHEMA } from '../../../src/scim/schema/enterprise-user.js'
import { userResource } from '../../../src/scim/schema/registry.js'
import { USER_SCHEMA } from '../../../src/scim/schema/user.js'

const user = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  id: 'u1',
  externalId: 'e1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  active: true,
  emails: [
    { value: 'b@work.com', type: 'work', primary: true },
    { value: 'b@home.org', type: 'home' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm1', $ref: 'https://x/Users/m1' } },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', location: 'https://x/Users/u1' },
}

function paths(text: string): AttributePath[] {
  const parsed = parseAttributeList(text)
  assert.ok(parsed.ok)
  return parsed.value
}

const attributes = (text: string) => projectResource(user, userResource, { attributes: paths(text) })
const excluded = (text: string) => projectResource(user, userResource, { excludedAttributes: paths(text) })

describe('projectResource', () => {
  it('returns every default attribute when no list is given', () => {
    assert.deepEqual(projectResource(user, userResource, {}), user)
  })

  it('never returns a password (returned: never)', () => {
    const withPassword = { ...user, password: 'secret' }
    assert.equal(projectResource(withPassword, userResource, {}).password, undefined)
    assert.equal(
      projectResource(withPassword, userResource, { attributes: paths('password') }).password,
      undefined,
    )
  })

  it('attributes=userName,emails returns those plus id and schemas (Postman)', () => {
    assert.deepEqual(attributes('userName,emails'), {
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
      emails: user.emails,
    })
  })

  it('attributes=id returns only id and schemas (Entra manager check)', () => {
    assert.deepEqual(attributes('id'), { schemas: user.schemas, id: 'u1' })
  })

  it('matches names case-insensitively and keeps canonical keys', () => {
    assert.deepEqual(attributes('USERNAME,Name.GivenName'), {
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
      name: { givenName: 'Barbara' },
    })
  })

  it('selects sub-attributes of every element of a multi-valued attribute', () => {
    assert.deepEqual(attributes('emails.value').emails, [{ value: 'b@work.com' }, { value: 'b@home.org' }])
  })

  it('selects URN-qualified extension attributes and sub-attributes', () => {
    assert.deepEqual(attributes(`${ENTERPRISE_USER_SCHEMA}:department`), {
      schemas: user.schemas,
      id: 'u1',
      [ENTERPRISE_USER_SCHEMA]: { department: 'Sales' },
    })
    assert.deepEqual(attributes(`${ENTERPRISE_USER_SCHEMA}:manager.value`)[ENTERPRISE_USER_SCHEMA], {
      manager: { value: 'm1' },
    })
    assert.deepEqual(attributes('manager')[ENTERPRISE_USER_SCHEMA], {
      manager: user[ENTERPRISE_USER_SCHEMA].manager,
    })
  })

  it('selects a whole extension by its URN', () => {
    assert.deepEqual(attributes(ENTERPRISE_USER_SCHEMA)[ENTERPRISE_USER_SCHEMA], user[ENTERPRISE_USER_SCHEMA])
  })

  it('accepts emails[type eq "work"] in attributes as the whole attribute (Postman ComplexAttribute tests)', () => {
    assert.deepEqual(attributes('emails[type eq "work"]').emails, user.emails)
  })

  it('ignores unknown names in attributes', () => {
    assert.deepEqual(attributes('nonsense,userName'), {
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
    })
  })

  it('excludedAttributes drops those, never id or schemas', () => {
    const result = excluded('emails,id,schemas,meta')
    assert.equal(result.emails, undefined)
    assert.equal(result.meta, undefined)
    assert.equal(result.id, 'u1')
    assert.deepEqual(result.schemas, user.schemas)
    assert.equal(result.userName, 'bjensen')
  })

  it('excludedAttributes works on sub-attributes and extension attributes', () => {
    const result = excluded(
      `name.familyName,emails.primary,${ENTERPRISE_USER_SCHEMA}:department,manager.$ref`,
    )
    assert.deepEqual(result.name, { givenName: 'Barbara' })
    assert.deepEqual(result.emails, [
      { value: 'b@work.com', type: 'work' },
      { value: 'b@home.org', type: 'home' },
    ])
    assert.deepEqual(result[ENTERPRISE_USER_SCHEMA], { manager: { value: 'm1' } })
  })

  it('drops an extension object left empty', () => {
    assert.equal(excluded(ENTERPRISE_USER_SCHEMA)[ENTERPRISE_USER_SCHEMA], undefined)
    assert.equal(excluded(`${ENTERPRISE_USER_SCHEMA}:department,manager`)[ENTERPRISE_USER_SCHEMA], undefined)
  })

  it('ignores unknown names in excludedAttributes (Entra sends excludedAttributes=members to /Users too)', () => {
    assert.deepEqual(excluded('members'), user)
  })

  it('does not mutate the resource', () => {
    const copy = structuredClone(user)
    excluded('name.givenName,emails.value')
    attributes('name.givenName')
    assert.deepEqual(user, copy)
  })
})
