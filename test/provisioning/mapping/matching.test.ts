import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributeMapping } from '../../../src/provisioning/mapping/attribute-mapping.js'
import {
  matchingAttributes,
  matchingFilter,
  matchingQueries,
} from '../../../src/provisioning/mapping/matching.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('matchingFilter', () => {
  const cases: Array<[target: string, value: string, filter: string]> = [
    ['userName', 'ada@contoso.com', 'userName eq "ada@contoso.com"'],
    ['userName', 'say "hi"', 'userName eq "say \\"hi\\""'],
    ['userName', 'DOMAIN\\ada', 'userName eq "DOMAIN\\\\ada"'],
    ['userName', 'tab\there', 'userName eq "tab\\there"'],
    ['externalId', '00aa00aa-bb11', 'externalId eq "00aa00aa-bb11"'],
    ['displayName', 'R&D "core"', 'displayName eq "R&D \\"core\\""'],
    [
      'emails[type eq "work"].value',
      'ada@contoso.com',
      'emails[type eq "work" and value eq "ada@contoso.com"]',
    ],
    [`${ENTERPRISE}:employeeNumber`, 'E-1', `${ENTERPRISE}:employeeNumber eq "E-1"`],
    ['name.familyName', 'Lovelace', 'name.familyName eq "Lovelace"'],
  ]
  for (const [target, value, filter] of cases) {
    it(`${target} = ${JSON.stringify(value)} → ${filter}`, () => {
      assert.equal(matchingFilter(target, value), filter)
    })
  }
})

describe('matching attributes and queries', () => {
  const mappings: AttributeMapping[] = [
    { target: 'title', type: 'direct', source: 'jobTitle', applyOn: 'always' },
    {
      target: 'externalId',
      type: 'direct',
      source: 'objectId',
      applyOn: 'always',
      matching: { precedence: 3 },
    },
    {
      target: 'userName',
      type: 'direct',
      source: 'userPrincipalName',
      applyOn: 'always',
      matching: { precedence: 1 },
    },
    {
      target: 'emails[type eq "work"].value',
      type: 'direct',
      source: 'mail',
      applyOn: 'always',
      matching: { precedence: 2 },
    },
  ]

  it('orders matching attributes by precedence', () => {
    assert.deepEqual(
      matchingAttributes(mappings).map((mapping) => mapping.target),
      ['userName', 'emails[type eq "work"].value', 'externalId'],
    )
  })

  it('builds one query per matching attribute that has a value, in precedence order', () => {
    assert.deepEqual(
      matchingQueries(mappings, { userName: 'ada@x.com', externalId: 'o-1', title: 'Eng' }).map(
        (query) => query.filter,
      ),
      ['userName eq "ada@x.com"', 'externalId eq "o-1"'],
    )
    assert.deepEqual(matchingQueries(mappings, { title: 'Eng', userName: '' }), [])
  })
})
