import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { jsonElementLines } from '../../../src/provisioning/source/json-element-lines.js'
import { findJsonSyntaxError } from '../../../src/provisioning/source/json-syntax-error.js'

describe('findJsonSyntaxError', () => {
  const cases: [string, number, number, string][] = [
    ['{"a":}', 1, 6, 'expected a value, found "}"'],
    ['{\n "a": 1,\n}', 3, 1, 'a trailing comma before "}"'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "," or "}" after a property value, found """'],
    ['{"a": "x', 1, 7, 'a string is never closed'],
    ['{"a": "x\ny"}', 1, 9, 'a line break or control character inside a string; write it as \\n'],
    ['{"a": "\\q"}', 1, 8, 'an invalid escape sequence in a string'],
    ["{'a': 1}", 1, 2, `expected a property name in double quotes, found "'"`],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name, found "1"'],
    ['[1, 2', 1, 6, 'expected "," or "]" after an array element, found the end of the file'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['{} {}', 1, 4, 'unexpected "{" after the end of the document'],
    ['', 1, 1, 'expected a value, found the end of the file'],
  ]
  for (const [text, line, column, message] of cases) {
    it(`locates ${JSON.stringify(text)}`, () => {
      assert.throws(() => JSON.parse(text))
      assert.deepEqual(findJsonSyntaxError(text), { line, column, message })
    })
  }

  it('finds nothing in valid JSON', () => {
    for (const text of ['{}', ' [1, -2.5e3, "\\u00e9", true, false, null, {"a": [[]]}] ', '"x"']) {
      assert.equal(findJsonSyntaxError(text), undefined)
    }
  })
})

describe('jsonElementLines', () => {
  it('gives the start line of each element of each top-level array', () => {
    const text =
      '{\n  "users": [\n    {"id": "a", "note": "has ] and { in it"},\n\n    {\n      "id": "b"\n    }\n  ],\n  "groups": [ {"id": "g"}, "x", 3 ],\n  "empty": []\n}'
    assert.deepEqual(
      jsonElementLines(text),
      new Map([
        ['users', [3, 5]],
        ['groups', [9, 9, 9]],
        ['empty', []],
      ]),
    )
  })
})
