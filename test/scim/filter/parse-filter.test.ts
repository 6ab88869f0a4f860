import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributePath, CompareOperator, Filter, FilterValue } from '../../../src/scim/filter/ast.js'
import { parseFilter } from '../../../src/scim/filter/parse-filter.js'

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function parse(text: string): Filter {
  const result = parseFilter(text)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

function parseError(text: string): string {
  const result = parseFilter(text)
  assert.ok(!result.ok, `expected ${JSON.stringify(text.slice(0, 80))} to be rejected`)
  assert.equal(result.error.status, 400)
  assert.equal(result.error.scimType, 'invalidFilter')
  assert.match(result.error.message, /^filter: /)
  return result.error.message
}

function path(dotted: string, uri?: string): AttributePath {
  const [name, sub] = dotted.split('.') as [string, string | undefined]
  const result: AttributePath = uri === undefined ? { name } : { uri, name }
  if (sub !== undefined) result.sub = sub
  return result
}

const cmp = (attribute: string, op: CompareOperator, value: FilterValue, uri?: string): Filter => ({
  kind: 'compare',
  path: path(attribute, uri),
  op,
  value,
})
const pr = (attribute: string): Filter => ({ kind: 'present', path: path(attribute) })
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right })
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right })
const not = (filter: Filter): Filter => ({ kind: 'not', filter })
const valuePath = (attribute: string, filter: Filter): Filter => ({
  kind: 'valuePath',
  path: path(attribute),
  filter,
})

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  const examples: [string, Filter][] = [
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    [`${CORE}:userName sw "J"`, cmp('userName', 'sw', 'J', CORE)],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('userType', 'eq', 'Employee'),
        or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
      ),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('userType', 'ne', 'Employee'),
        not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
      ),
    ],
    [
      'userType eq "Employee" and (emails.type eq "work")',
      and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work')),
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(
        cmp('userType', 'eq', 'Employee'),
        valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      ),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        valuePath('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
  ]
  for (const [text, expected] of examples) {
    it(text, () => assert.deepEqual(parse(text), expected))
  }
})

describe('parseFilter: Entra ID and Postman filters', () => {
  const examples: [string, Filter][] = [
    [
      'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"',
      cmp('userName', 'eq', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
    ],
    [
      'id eq "54D382A4-2050-4D03-9E9A-8CF8A3A1F1F7" and manager eq "2819c223-7f76-453a-919d-413861904646"',
      and(
        cmp('id', 'eq', '54D382A4-2050-4D03-9E9A-8CF8A3A1F1F7'),
        cmp('manager', 'eq', '2819c223-7f76-453a-919d-413861904646'),
      ),
    ],
    ['displayName eq "x"', cmp('displayName', 'eq', 'x')],
    ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
    ['DisplayName eq "BobIsAmazing"', cmp('DisplayName', 'eq', 'BobIsAmazing')],
    [
      'active eq true and (meta.lastModified ge "2024-01-01T00:00:00Z" and meta.lastModified le "2024-02-01T00:00:00Z")',
      and(
        cmp('active', 'eq', true),
        and(
          cmp('meta.lastModified', 'ge', '2024-01-01T00:00:00Z'),
          cmp('meta.lastModified', 'le', '2024-02-01T00:00:00Z'),
        ),
      ),
    ],
    [
      'emails[type eq "work"].value eq "x@y.com"',
      valuePath('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x@y.com'))),
    ],
    ['emails[type eq "work"].value pr', valuePath('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
  ]
  for (const [text, expected] of examples) {
    it(text, () => assert.deepEqual(parse(text), expected))
  }
})

describe('parseFilter: attribute paths', () => {
  it('splits URN-qualified attributes at the last colon', () => {
    assert.deepEqual(
      parse(`${ENTERPRISE}:department eq "Sales"`),
      cmp('department', 'eq', 'Sales', ENTERPRISE),
    )
    assert.deepEqual(parse(`${CORE}:name.givenName eq "Ann"`), cmp('name.givenName', 'eq', 'Ann', CORE))
    assert.deepEqual(
      parse(`${ENTERPRISE}:manager.value eq "42"`),
      cmp('manager.value', 'eq', '42', ENTERPRISE),
    )
  })

  it('keeps a URN-qualified value path', () => {
    assert.deepEqual(parse(`${CORE}:emails[type eq "work"]`), {
      kind: 'valuePath',
      path: { uri: CORE, name: 'emails' },
      filter: cmp('type', 'eq', 'work'),
    })
  })

  it('accepts $ref, digits, hyphens and underscores in names and preserves case', () => {
    assert.deepEqual(parse('manager.$ref pr'), pr('manager.$ref'))
    assert.deepEqual(parse('x509Certificates.value pr'), pr('x509Certificates.value'))
    assert.deepEqual(parse('my-attr_2 eq "v"'), cmp('my-attr_2', 'eq', 'v'))
    assert.deepEqual(parse('NAME.GivenName eq "a"'), cmp('NAME.GivenName', 'eq', 'a'))
  })
})

describe('parseFilter: operators and logic', () => {
  it('accepts keywords in any case', () => {
    assert.deepEqual(
      parse('userName EQ "a" And title PR oR NOT (userType Ne "b")'),
      or(and(cmp('userName', 'eq', 'a'), pr('title')), not(cmp('userType', 'ne', 'b'))),
    )
  })

  it('parses every comparison operator', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      assert.deepEqual(parse(`userName ${op} "x"`), cmp('userName', op, 'x'))
    }
  })

  it('binds and tighter than or', () => {
    assert.deepEqual(parse('a pr or b pr and c pr or d pr'), or(or(pr('a'), and(pr('b'), pr('c'))), pr('d')))
  })

  it('lets parentheses override precedence', () => {
    assert.deepEqual(parse('(a pr or b pr) and c pr'), and(or(pr('a'), pr('b')), pr('c')))
    assert.deepEqual(parse('((a pr))'), pr('a'))
  })

  it('allows not and grouping inside a value filter', () => {
    assert.deepEqual(
      parse('emails[not (type eq "work") and (value ew ".org" or primary eq true)]'),
      valuePath(
        'emails',
        and(not(cmp('type', 'eq', 'work')), or(cmp('value', 'ew', '.org'), cmp('primary', 'eq', true))),
      ),
    )
  })

  it('is tolerant of whitespace', () => {
    assert.deepEqual(parse('  userName   eq\t"a"  '), cmp('userName', 'eq', 'a'))
    assert.deepEqual(parse('not(a pr)'), not(pr('a')))
  })

  it('accepts gt with a boolean (semantic checks happen elsewhere)', () => {
    assert.deepEqual(parse('active gt true'), cmp('active', 'gt', true))
  })
})

describe('parseFilter: values', () => {
  it('decodes JSON string escapes', () => {
    assert.deepEqual(
      parse('displayName eq "a \\"b\\" c\\\\d \\u00e9 \\/ \\n"'),
      cmp('displayName', 'eq', 'a "b" c\\d é / \n'),
    )
  })

  it('keeps brackets, parentheses, spaces and keywords inside quotes', () => {
    assert.deepEqual(
      parse('title eq "a (b) [c] and d or not e pr"'),
      cmp('title', 'eq', 'a (b) [c] and d or not e pr'),
    )
    assert.deepEqual(parse('title eq ""'), cmp('title', 'eq', ''))
  })

  it('parses numbers', () => {
    assert.deepEqual(parse('age eq 42'), cmp('age', 'eq', 42))
    assert.deepEqual(parse('age gt -3.5'), cmp('age', 'gt', -3.5))
    assert.deepEqual(parse('age lt 1e3'), cmp('age', 'lt', 1000))
    assert.deepEqual(parse('age eq 0'), cmp('age', 'eq', 0))
  })

  it('parses true, false and null in any case', () => {
    assert.deepEqual(parse('active eq TRUE'), cmp('active', 'eq', true))
    assert.deepEqual(parse('active eq False'), cmp('active', 'eq', false))
    assert.deepEqual(parse('title eq NULL'), cmp('title', 'eq', null))
  })

  it('takes unquoted legacy words as strings', () => {
    assert.deepEqual(parse('externalId eq 2819c223-7f76'), cmp('externalId', 'eq', '2819c223-7f76'))
    assert.deepEqual(
      parse('userName eq bob@example.com and active eq true'),
      and(cmp('userName', 'eq', 'bob@example.com'), cmp('active', 'eq', true)),
    )
    assert.deepEqual(parse('employeeNumber eq 007'), cmp('employeeNumber', 'eq', '007'))
  })
})

describe('parseFilter: malformed filters', () => {
  const malformed: [string, RegExp][] = [
    ['', /is empty/],
    ['   ', /is empty/],
    ['userName eq "bjensen', /unterminated string starting at position 12/],
    ['userName eq', /expected a value after "eq" at position 11, got end of input/],
    ['userName', /expected a comparison operator after "userName" at position 8, got end of input/],
    ['userName zz "x"', /expected a comparison operator after "userName" at position 9, got "zz"/],
    ['userName eq "x" and', /expected an attribute path, "\(" or "not" at position 19, got end of input/],
    ['userName eq "x" or', /expected an attribute path/],
    ['and userName eq "x"', /expected an attribute path, "\(" or "not" at position 0, got "and"/],
    ['userName eq "x" and or title pr', /at position 20, got "or"/],
    ['(userName eq "x"', /expected "\)" closing the "\(" at position 0 at position 16, got end of input/],
    ['userName eq "x")', /expected "and", "or" or end of filter at position 15, got "\)"/],
    ['((title pr)', /expected "\)" closing/],
    ['emails[type eq "work"', /expected "]" closing the "\[" at position 6/],
    ['emails type eq "work"]', /expected a comparison operator after "emails" at position 7, got "type"/],
    ['title pr "x"', /expected "and", "or" or end of filter at position 9, got "x"/],
    ['emails[type eq "work" and value[display pr]]', /cannot contain another "\[" at position 31/],
    ['emails[]', /empty value filter after "\[" at position 6/],
    ['emails[type eq "work"] eq "x"', /expected "and", "or" or end of filter at position 23, got "eq"/],
    ['userName eq "x" userName eq "y"', /expected "and", "or" or end of filter at position 16/],
    ['userName eq "x" garbage', /got "garbage"/],
    ['not title pr', /expected "\(" after "not" at position 4, got "title"/],
    ['userName eq and', /expected a value after "eq" at position 12, got "and"/],
    ['userName eq (', /expected a value after "eq" at position 12, got "\("/],
    ['userName eq "\\x"', /invalid escape "\\x" in string at position 13/],
    ['userName eq "\\u00g1"', /invalid \\u escape in string at position 13/],
    ['1userName eq "x"', /invalid attribute path "1userName" at position 0/],
    ['name.givenName.x eq "x"', /invalid attribute path "name.givenName.x"/],
    ['foo:userName eq "x"', /invalid attribute path "foo:userName"/],
    ['urn:ietf:params:scim:schemas:core:2.0:User: eq "x"', /invalid attribute path/],
    [
      'name.givenName[value eq "x"]',
      /a value filter must follow a plain attribute name, not "name.givenName"/,
    ],
    ['emails[type.x eq "work"]', /"type.x" inside a value filter must be a sub-attribute name at position 7/],
    [
      'emails[type eq "work"].value',
      /expected a comparison operator after ".value" at position 28, got end of input/,
    ],
    ['emails[type eq "work"].1x eq "a"', /invalid sub-attribute ".1x" at position 22/],
    ['userName eq "x" ]', /got "]"/],
    ['[type eq "work"]', /expected an attribute path, "\(" or "not" at position 0, got "\["/],
    ['()', /expected an attribute path, "\(" or "not" at position 1, got "\)"/],
    ['userName pr eq "x"', /expected "and", "or" or end of filter at position 12, got "eq"/],
    ['userName eq "x" "y"', /got "y"/],
    ['age eq 1e999', /number "1e999" is out of range/],
  ]
  for (const [text, detail] of malformed) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.match(parseError(text), detail))
  }

  it('limits the filter length', () => {
    const text = `userName eq "${'a'.repeat(10_000)}"`
    assert.match(parseError(text), /longer than 10000 characters/)
    assert.equal(parse(`userName eq "${'a'.repeat(9_000)}"`).kind, 'compare')
  })

  it('limits nesting depth', () => {
    assert.deepEqual(parse(`${'('.repeat(50)}title pr${')'.repeat(50)}`), pr('title'))
    assert.match(
      parseError(`${'('.repeat(51)}title pr${')'.repeat(51)}`),
      /nested deeper than 50 levels at position 50/,
    )
    assert.match(parseError(`${'not ('.repeat(60)}title pr${')'.repeat(60)}`), /nested deeper than 50 levels/)
    assert.match(parseError('('.repeat(5_000)), /nested deeper than 50 levels/)
  })

  it('survives a long flat chain of and/or', () => {
    const text = Array.from({ length: 800 }, (_, i) => `a${i} pr`).join(' and ')
    assert.equal(parse(text).kind, 'and')
  })
})
