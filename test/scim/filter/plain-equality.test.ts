import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseFilter, parseFilterGrammar } from '../../../src/scim/filter/parse-filter.js'

/** Filters of the fast-path shape and near misses; each must parse exactly as the grammar does. */
const filters = [
  'userName eq "cf4d78e8-cc4f-4d5d-b8b9-183561c0104a"',
  'userName eq "Test_User_00aa00aa@testuser.com"',
  'externalId eq "0a21f0f2"',
  'displayName eq ""',
  'DisplayName eq "Bob Is (Amazing) and [bold]"',
  'userName eq "ünïcødé ✓"',
  'user-name_2 eq "x"',
  'and eq "x"',
  'not eq "x"',
  'pr eq "x"',
  'eq eq "x"',
  'userName eq "a\\"b"',
  'userName eq "a\\\\b"',
  'userName eq "tab\tinside"',
  'userName EQ "x"',
  'userName eq "x" ',
  ' userName eq "x"',
  'userName  eq "x"',
  'userName eq x',
  'name.givenName eq "x"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"',
  '1userName eq "x"',
  `userName eq "${'a'.repeat(10_100)}"`,
]

describe('parseFilter fast path for `attribute eq "value"`', () => {
  for (const text of filters) {
    it(`parses ${JSON.stringify(text.slice(0, 60))} exactly as the grammar does`, () => {
      const fast = parseFilter(text)
      const grammar = parseFilterGrammar(text)
      assert.equal(fast.ok, grammar.ok)
      if (fast.ok && grammar.ok) assert.deepEqual(fast.value, grammar.value)
      if (!fast.ok && !grammar.ok) assert.equal(fast.error.message, grammar.error.message)
    })
  }
})
