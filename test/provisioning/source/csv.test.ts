import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCsv } from '../../../src/provisioning/source/csv.js'

const records = (text: string) => {
  const result = parseCsv(text)
  assert.ok(result.ok, result.ok ? '' : result.message)
  return result.records.map((record) => [record.line, ...record.fields])
}

describe('parseCsv', () => {
  it('splits records and fields, with or without a final line break', () => {
    assert.deepEqual(records('a,b\n1,2\n'), [
      [1, 'a', 'b'],
      [2, '1', '2'],
    ])
    assert.deepEqual(records('a,b\n1,2'), [
      [1, 'a', 'b'],
      [2, '1', '2'],
    ])
  })

  it('accepts CRLF, LF and lone CR line breaks', () => {
    assert.deepEqual(records('a\r\nb\nc\rd'), [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ])
  })

  it('strips a UTF-8 byte-order mark', () => {
    assert.deepEqual(records('\uFEFFid,mail\r\n1,x'), [
      [1, 'id', 'mail'],
      [2, '1', 'x'],
    ])
  })

  it('reads quoted fields with commas, doubled quotes and line breaks, counting lines inside them', () => {
    assert.deepEqual(records('a,"b, c","say ""hi"""\n"two\r\nlines",x\ny,z'), [
      [1, 'a', 'b, c', 'say "hi"'],
      [2, 'two\r\nlines', 'x'],
      [4, 'y', 'z'],
    ])
  })

  it('keeps empty fields and an empty quoted field', () => {
    assert.deepEqual(records(',a,\n"",,'), [
      [1, '', 'a', ''],
      [2, '', '', ''],
    ])
  })

  it('skips blank lines but keeps their count', () => {
    assert.deepEqual(records('a\n\n\r\nb\n\n'), [
      [1, 'a'],
      [4, 'b'],
    ])
  })

  it('keeps spaces, as RFC 4180 says they are part of the field', () => {
    assert.deepEqual(records(' a , b '), [[1, ' a ', ' b ']])
  })

  it('reports an unterminated quote where it opens', () => {
    assert.deepEqual(parseCsv('a,b\n1,"open\n2,3\n'), {
      ok: false,
      line: 2,
      column: 3,
      message: 'a quoted field is never closed',
    })
  })

  it('reports a quote inside an unquoted field, with its line and column', () => {
    const result = parseCsv('a,b\r\n1,x"y\r\n')
    assert.equal(result.ok, false)
    assert.deepEqual(result.ok ? undefined : [result.line, result.column], [2, 4])
  })

  it('reports text after a closing quote', () => {
    const result = parseCsv('"a"b,c')
    assert.deepEqual(result.ok ? undefined : [result.line, result.column, result.message], [
      1,
      4,
      'text after a closing quote; a quote inside a quoted field is written as ""',
    ])
  })

  it('reads an empty text as no records', () => {
    assert.deepEqual(records(''), [])
    assert.deepEqual(records('\uFEFF'), [])
  })
})
