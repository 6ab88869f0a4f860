import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributePath, PatchPath } from '../../../src/scim/filter/ast.js'
import {
  parseAttributeList,
  parseAttributePath,
  parsePatchPath,
} from '../../../src/scim/filter/parse-path.js'
import type { ParseResult } from '../../../src/scim/filter/result.js'

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function value<T>(result: ParseResult<T>): T {
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

function invalidPath<T>(result: ParseResult<T>): string {
  assert.ok(!result.ok, 'expected a parse error')
  assert.equal(result.error.status, 400)
  assert.equal(result.error.scimType, 'invalidPath')
  return result.error.message
}

describe('parsePatchPath', () => {
  const typeEq = (type: string) =>
    ({ kind: 'compare', path: { name: 'type' }, op: 'eq', value: type }) as const
  const paths: [string, PatchPath][] = [
    ['userName', { path: { name: 'userName' } }],
    ['name.givenName', { path: { name: 'name', sub: 'givenName' } }],
    ['emails[type eq "work"].value', { path: { name: 'emails' }, filter: typeEq('work'), sub: 'value' }],
    ['emails[type eq "work"]', { path: { name: 'emails' }, filter: typeEq('work') }],
    [
      'phoneNumbers[type eq "mobile"].value',
      { path: { name: 'phoneNumbers' }, filter: typeEq('mobile'), sub: 'value' },
    ],
    [
      'addresses[type eq "work"].streetAddress',
      { path: { name: 'addresses' }, filter: typeEq('work'), sub: 'streetAddress' },
    ],
    [
      'roles[primary eq "True"].value',
      {
        path: { name: 'roles' },
        filter: { kind: 'compare', path: { name: 'primary' }, op: 'eq', value: 'True' },
        sub: 'value',
      },
    ],
    [
      'members[value eq "7f4b2c1e-0d3a-4b8e-9c6f-1a2b3c4d5e6f"]',
      {
        path: { name: 'members' },
        filter: {
          kind: 'compare',
          path: { name: 'value' },
          op: 'eq',
          value: '7f4b2c1e-0d3a-4b8e-9c6f-1a2b3c4d5e6f',
        },
      },
    ],
    [`${ENTERPRISE}:manager`, { path: { uri: ENTERPRISE, name: 'manager' } }],
    [`${ENTERPRISE}:manager.value`, { path: { uri: ENTERPRISE, name: 'manager', sub: 'value' } }],
    [
      `${CORE}:emails[type eq "work"].value`,
      { path: { uri: CORE, name: 'emails' }, filter: typeEq('work'), sub: 'value' },
    ],
    ['manager', { path: { name: 'manager' } }],
    [
      'emails[type eq "work" and primary eq true]',
      {
        path: { name: 'emails' },
        filter: {
          kind: 'and',
          left: typeEq('work'),
          right: { kind: 'compare', path: { name: 'primary' }, op: 'eq', value: true },
        },
      },
    ],
  ]
  for (const [text, expected] of paths) {
    it(text, () => assert.deepEqual(value(parsePatchPath(text)), expected))
  }

  const malformed: [string, RegExp][] = [
    ['', /^path: is empty/],
    ['emails[type eq "work"', /^path: expected "]" closing the "\[" at position 6/],
    ['emails[type eq "work"]]', /expected end of path at position 22, got "]"/],
    ['emails[]', /empty value filter/],
    ['emails[type zz "work"]', /expected a comparison operator after "type" at position 12, got "zz"/],
    ['emails[type eq "work"].value.x', /invalid sub-attribute ".value.x"/],
    ['emails[type eq "work"] value', /expected end of path at position 23, got "value"/],
    ['name.givenName.x', /invalid attribute path "name.givenName.x" at position 0/],
    ['name.givenName[type eq "x"]', /a value filter must follow a plain attribute name/],
    ['userName eq "x"', /expected end of path at position 9, got "eq"/],
    ['emails[type eq "work"][value pr]', /expected end of path at position 22, got "\["/],
    ['"userName"', /expected an attribute path at position 0/],
    ['emails[type eq "work]', /unterminated string/],
  ]
  for (const [text, detail] of malformed) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.match(invalidPath(parsePatchPath(text)), detail))
  }
})

describe('parseAttributePath', () => {
  it('parses plain, dotted and URN-qualified paths', () => {
    assert.deepEqual(value(parseAttributePath('userName')), { name: 'userName' })
    assert.deepEqual(value(parseAttributePath(' name.familyName ')), { name: 'name', sub: 'familyName' })
    assert.deepEqual(value(parseAttributePath(`${ENTERPRISE}:department`)), {
      uri: ENTERPRISE,
      name: 'department',
    })
    assert.deepEqual(value(parseAttributePath('meta.lastModified')), { name: 'meta', sub: 'lastModified' })
  })

  it('rejects anything else', () => {
    assert.match(
      invalidPath(parseAttributePath('')),
      /^attribute path: expected an attribute path at position 0/,
    )
    assert.match(invalidPath(parseAttributePath('userName,title')), /invalid attribute path "userName,title"/)
    assert.match(invalidPath(parseAttributePath('emails[type eq "work"]')), /got "\["/)
    assert.match(invalidPath(parseAttributePath('a.b.c')), /invalid attribute path "a.b.c"/)
    assert.match(
      invalidPath(parseAttributePath('user name', 'sortBy')),
      /^sortBy: expected end of attribute path at position 5, got "name"/,
    )
  })
})

describe('parseAttributeList', () => {
  const list = (text: string): AttributePath[] => value(parseAttributeList(text))

  it('splits on commas and tolerates whitespace', () => {
    assert.deepEqual(list('userName'), [{ name: 'userName' }])
    assert.deepEqual(list('userName, name.givenName ,emails'), [
      { name: 'userName' },
      { name: 'name', sub: 'givenName' },
      { name: 'emails' },
    ])
    assert.deepEqual(list(`${ENTERPRISE}:manager.value,displayName`), [
      { uri: ENTERPRISE, name: 'manager', sub: 'value' },
      { name: 'displayName' },
    ])
  })

  it('gives an empty list for empty input', () => {
    assert.deepEqual(list(''), [])
    assert.deepEqual(list('  '), [])
  })

  it('accepts a value filter and ignores it (Microsoft Postman collection)', () => {
    assert.deepEqual(list('emails[type eq "work"]'), [{ name: 'emails' }])
    assert.deepEqual(list('userName,emails[type eq "a,b" or primary eq true],title'), [
      { name: 'userName' },
      { name: 'emails' },
      { name: 'title' },
    ])
    assert.deepEqual(list('emails[type eq "work"].value'), [{ name: 'emails', sub: 'value' }])
  })

  it('rejects malformed lists', () => {
    assert.match(
      invalidPath(parseAttributeList('userName,')),
      /^attributes: expected an attribute path at position 9/,
    )
    assert.match(
      invalidPath(parseAttributeList(',userName')),
      /expected an attribute path at position 0, got ","/,
    )
    assert.match(invalidPath(parseAttributeList('userName,,title')), /at position 9, got ","/)
    assert.match(
      invalidPath(parseAttributeList('userName title')),
      /expected "," or end of list at position 9/,
    )
    assert.match(invalidPath(parseAttributeList('emails[type eq "work"')), /expected "]" closing/)
    assert.match(
      invalidPath(parseAttributeList('a..b', 'excludedAttributes')),
      /^excludedAttributes: invalid attribute path/,
    )
  })
})
