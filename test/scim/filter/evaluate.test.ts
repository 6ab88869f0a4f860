import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evaluateElementFilter, evaluateFilter } from '../../../src/scim/filter/evaluate.js'
import { parseFilter } from '../../../src/scim/filter/parse-filter.js'
import { findAttribute, userResource } from '../../../src/scim/schema/registry.js'
import type { AttributeDefinition } from '../../../src/scim/schema/types.js'

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const bjensen = {
  schemas: [CORE, ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen',
  meta: {
    resourceType: 'User',
    created: '2011-08-01T18:29:49.793Z',
    lastModified: '2011-08-01T18:29:49.793Z',
  },
  userName: 'bjensen@example.com',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'babs@foo.com', type: 'xmpp' }],
  roles: [{ value: 'admin', primary: 'True' }],
  [ENTERPRISE]: {
    department: 'Tour Operations',
    employeeNumber: '701984',
    manager: { value: '26118915-6090' },
  },
}

function matches(text: string, resource: Record<string, unknown> = bjensen): boolean {
  const parsed = parseFilter(text)
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message)
  return evaluateFilter(parsed.value, resource, userResource)
}

function check(cases: [string, boolean][], resource?: Record<string, unknown>): void {
  for (const [text, expected] of cases) {
    it(`${text} → ${expected}`, () => assert.equal(matches(text, resource), expected))
  }
}

describe('evaluateFilter: RFC 7644 §3.4.2.2 examples', () => {
  check([
    ['userName eq "bjensen@example.com"', true],
    ['userName eq "bjensen"', false],
    ['name.familyName co "O\'Malley"', true],
    ['userName sw "J"', false],
    ['userName sw "B"', true],
    [`${CORE}:userName sw "b"`, true],
    ['title pr', true],
    ['nickName pr', false],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified ge "2011-08-01T18:29:49.793Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified le "2011-08-01T20:29:49.793+02:00"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    [`schemas eq "${ENTERPRISE}"`, true],
    ['schemas eq "urn:example:other"', false],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['userType eq "Employee" and emails[type eq "home" and value co "@example.com"]', false],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      true,
    ],
  ])
})

describe('evaluateFilter: semantics', () => {
  describe('case sensitivity follows caseExact', () => {
    check([
      ['USERNAME eq "BJENSEN@EXAMPLE.COM"', true],
      ['externalId eq "BJENSEN"', false],
      ['externalId eq "bjensen"', true],
      ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
      ['displayName ew "JENSEN"', true],
    ])
  })

  describe('extension attributes', () => {
    check([
      [`${ENTERPRISE}:department eq "tour operations"`, true],
      ['department sw "Tour"', true],
      [`${ENTERPRISE}:manager.value eq "26118915-6090"`, true],
      ['manager eq "26118915-6090"', true],
      ['manager eq "someone-else"', false],
      ['manager pr', true],
      [`${ENTERPRISE}:costCenter pr`, false],
    ])
  })

  describe('multi-valued attributes match if any element matches', () => {
    check([
      ['emails.type eq "home"', true],
      ['emails.value ew "@jensen.org"', true],
      ['emails co "jensen.org"', true],
      ['emails.type eq "other"', false],
      ['emails.type ne "work"', true],
      ['emails[type eq "work"].value eq "bjensen@example.com"', true],
      ['emails[type eq "home"].value eq "bjensen@example.com"', false],
      ['emails[type eq "work"].primary pr', true],
      ['emails[type eq "home"].primary pr', false],
      ['emails[primary eq true]', true],
      ['phoneNumbers[type eq "work"]', false],
      ['emails pr', true],
      ['phoneNumbers pr', false],
    ])
  })

  describe('booleans', () => {
    check([
      ['active eq true', true],
      ['active eq false', false],
      ['active ne false', true],
      ['active eq "TRUE"', true],
      ['active gt false', false],
      ['roles[primary eq "True"]', true],
      ['roles[primary eq true]', true],
      ['roles[primary eq false]', false],
    ])
  })

  describe('strings order lexicographically', () => {
    check([
      ['userName gt "a"', true],
      ['userName lt "a"', false],
      ['userName ge "BJENSEN@EXAMPLE.COM"', true],
      [`${ENTERPRISE}:employeeNumber eq 701984`, true],
      ['externalId eq bjensen', true],
    ])
  })

  describe('null, absence and unknown attributes', () => {
    check([
      ['nickName eq null', true],
      ['title eq null', false],
      ['title ne null', true],
      ['nickName ne "x"', true],
      ['nickName eq "x"', false],
      ['nickName co ""', false],
      ['noSuchAttribute eq "x"', false],
      ['noSuchAttribute ne "x"', false],
      ['noSuchAttribute pr', false],
      ['not (noSuchAttribute pr)', true],
      ['name.noSuchSub eq "x"', false],
      ['emails[noSuch eq "x"]', false],
      ['name eq "Barbara"', false],
    ])
  })

  describe('pr needs a non-empty value', () => {
    const sparse = {
      schemas: [CORE],
      userName: 'x',
      title: '',
      emails: [],
      name: { givenName: '' },
      phoneNumbers: [{}],
    }
    check(
      [
        ['title pr', false],
        ['emails pr', false],
        ['name pr', false],
        ['phoneNumbers pr', false],
        ['userName pr', true],
        ['title eq null', true],
      ],
      sparse,
    )
  })

  describe('numbers compare numerically', () => {
    // The core User has no numeric attribute: use a private resource type with one.
    const counted = {
      ...userResource,
      core: {
        ...userResource.core,
        attributes: [
          ...userResource.core.attributes,
          { ...userResource.core.attributes[0]!, name: 'loginCount', type: 'integer' as const },
          { ...userResource.core.attributes[0]!, name: 'score', type: 'decimal' as const },
        ],
      },
    }
    const resource = { loginCount: 10, score: '2.5' }
    const run = (text: string): boolean => {
      const parsed = parseFilter(text)
      assert.ok(parsed.ok)
      return evaluateFilter(parsed.value, resource, counted)
    }
    it('compares integers and decimals as numbers', () => {
      assert.equal(run('loginCount gt 9'), true)
      assert.equal(run('loginCount gt 10'), false)
      assert.equal(run('loginCount ge 10'), true)
      assert.equal(run('loginCount lt 9.5'), false)
      assert.equal(run('loginCount eq "10"'), true)
      assert.equal(run('score le 2.5'), true)
      assert.equal(run('score gt -1'), true)
      assert.equal(run('loginCount co 1'), false)
    })
  })
})

describe('evaluateElementFilter', () => {
  const emails = findAttribute(userResource, undefined, 'emails')!.attribute as AttributeDefinition
  const roles = findAttribute(userResource, undefined, 'roles')!.attribute as AttributeDefinition
  const element = (text: string, value: Record<string, unknown>, parent: AttributeDefinition): boolean => {
    const parsed = parseFilter(`x[${text}]`)
    assert.ok(parsed.ok && parsed.value.kind === 'valuePath')
    return evaluateElementFilter(parsed.value.filter, value, parent)
  }

  it('evaluates paths relative to one element', () => {
    const work = { value: 'A@Example.com', type: 'work', primary: true }
    assert.equal(element('type eq "work"', work, emails), true)
    assert.equal(element('TYPE eq "WORK"', work, emails), true)
    assert.equal(element('type eq "home"', work, emails), false)
    assert.equal(element('type eq "work" and value co "@example.com"', work, emails), true)
    assert.equal(element('not (primary eq true)', work, emails), false)
    assert.equal(element('display pr', work, emails), false)
  })

  it('coerces string booleans (Entra roles[primary eq "True"])', () => {
    assert.equal(element('primary eq "True"', { value: 'r', primary: true }, roles), true)
    assert.equal(element('primary eq "false"', { value: 'r', primary: 'False' }, roles), true)
    assert.equal(element('primary eq "True"', { value: 'r' }, roles), false)
  })

  it('looks up element keys case-insensitively', () => {
    assert.equal(element('type eq "work"', { Type: 'work' }, emails), true)
  })

  it('matches a group member by value', () => {
    const members: AttributeDefinition = {
      ...emails,
      name: 'members',
      subAttributes: [{ ...emails.subAttributes![0]!, caseExact: true }],
    }
    assert.equal(element('value eq "7f4b"', { value: '7f4b' }, members), true)
    assert.equal(element('value eq "7F4B"', { value: '7f4b' }, members), false)
  })
})
