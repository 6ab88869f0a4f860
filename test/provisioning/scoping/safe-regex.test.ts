import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  compileSafeRegex,
  MAX_TESTED_LENGTH,
  testSafely,
} from '../../../src/provisioning/scoping/safe-regex.js'

describe('compileSafeRegex', () => {
  const safe = [
    '.*\\@domain.com',
    '(1[0-9][0-9][0-9][0-9][0-9][0-9])',
    '^[a-z]+\\.[a-z]+@[a-z]+\\.com$',
    '^(?<user>[^@]+)@contoso\\.com$',
    '(ab)+',
    '(a+)?',
    '(a|b)?',
    '[(+*)]+',
    'a{2,3}',
    'x{',
    '\\(a+\\)+',
  ]
  for (const pattern of safe) {
    it(`accepts ${pattern}`, () => {
      const result = compileSafeRegex(pattern)
      assert.ok(result.ok, result.ok ? '' : result.reason)
    })
  }

  const unsafe: Array<[string, RegExp]> = [
    ['(a+)+$', /repeated group contains a repetition/],
    ['(a*)*b', /repeated group contains a repetition/],
    ['(a|aa)*c', /repeated group contains a repetition or alternation/],
    ['((a+)b)*', /repeated group contains a repetition/],
    ['(.*a){10}', /repeated group contains a repetition/],
    ['(?:x+y?)+', /repeated group contains a repetition/],
    ['(a)\\1', /backreferences are not allowed/],
    ['(?<n>a)\\k<n>', /backreferences are not allowed/],
    ['a(?=b)', /lookaround is not allowed/],
    ['(?<!a)b', /lookaround is not allowed/],
    ['\\Aabc\\z', /\\A is \.NET-only syntax/],
    ['(', /invalid regular expression/],
  ]
  for (const [pattern, reason] of unsafe) {
    it(`refuses ${pattern}`, () => {
      const result = compileSafeRegex(pattern)
      assert.equal(result.ok, false)
      if (!result.ok) assert.match(result.reason, reason)
    })
  }

  it('refuses the classic catastrophic pattern before it can block the event loop', () => {
    // Run unguarded, /(a+)+$/ on this input takes minutes; the guard must refuse it at save time.
    assert.equal(compileSafeRegex('^(a+)+$').ok, false)
  })
})

describe('testSafely', () => {
  it('matches case-sensitively, unanchored like .NET Regex.IsMatch', () => {
    const result = compileSafeRegex('sales')
    assert.ok(result.ok)
    assert.equal(testSafely(result.regex, 'presales team'), true)
    assert.equal(testSafely(result.regex, 'Sales'), false)
  })

  it('does not test values longer than the cap', () => {
    const result = compileSafeRegex('a')
    assert.ok(result.ok)
    assert.equal(testSafely(result.regex, 'a'.repeat(MAX_TESTED_LENGTH)), true)
    assert.equal(testSafely(result.regex, 'a'.repeat(MAX_TESTED_LENGTH + 1)), undefined)
  })
})
