import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Expression } from '../../../src/provisioning/expressions/ast.js'
import {
  MAX_EXPRESSION_LENGTH,
  parseExpression,
} from '../../../src/provisioning/expressions/parse-expression.js'

function parse(text: string): Expression {
  const result = parseExpression(text)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

/** The AST without offsets, to compare shapes. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape)
  if (typeof node !== 'object' || node === null) return node
  const { start: _start, end: _end, ...rest } = node as Record<string, unknown>
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, shape(value)]))
}

const call = (name: string, ...args: unknown[]) => ({ kind: 'call', name, args })
const attr = (name: string) => ({ kind: 'attribute', name })
const str = (value: string) => ({ kind: 'string', value })
const num = (value: number) => ({ kind: 'number', value })
const empty = { kind: 'empty' }

describe('parseExpression: the grammar', () => {
  const cases: Array<[string, unknown]> = [
    [
      'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
      call('Switch', attr('IsSoftDeleted'), empty, str('False'), str('True'), str('True'), str('False')),
    ],
    ['Append([userPrincipalName], ".test")', call('Append', attr('userPrincipalName'), str('.test'))],
    ['Guid()', call('Guid')],
    ['[mail]', attr('mail')],
    ['"Company name: \\"Contoso\\""', str('Company name: "Contoso"')],
    ['"C:\\\\temp"', str('C:\\temp')],
    ['Left("John Doe", 3)', call('Left', str('John Doe'), num(3))],
    ['DateAdd("d", -10, [x])', call('DateAdd', str('d'), num(-10), attr('x'))],
    ['BitAnd(&HF, &HF7)', call('BitAnd', num(15), num(247))],
    ['[employeeOrgData.costCenter]', attr('employeeOrgData.costCenter')],
    [
      '[urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department]',
      attr('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'),
    ],
    ['[Preferred First Name]', attr('Preferred First Name')],
    [
      'IIF([country]="USA",[country],[department])',
      call(
        'IIF',
        { kind: 'compare', op: '=', left: attr('country'), right: str('USA') },
        attr('country'),
        attr('department'),
      ),
    ],
    ['CBool([a] <> [b])', call('CBool', { kind: 'compare', op: '<>', left: attr('a'), right: attr('b') })],
    [
      'IIF(Count([x]) >= 2, "many", "few")',
      call(
        'IIF',
        { kind: 'compare', op: '>=', left: call('Count', attr('x')), right: num(2) },
        str('many'),
        str('few'),
      ),
    ],
    [
      'Replace([x], , "re", , "", , )',
      call('Replace', attr('x'), empty, str('re'), empty, str(''), empty, empty),
    ],
    ['F( , )', call('F', empty, empty)],
    [
      'InStr("repEated","e",3,vbBinaryCompare)',
      call('InStr', str('repEated'), str('e'), num(3), str('vbBinaryCompare')),
    ],
    [
      'SelectUniqueValue(\n  Join("@", [a], "contoso.com"),\n  Join("@", [b], "contoso.com")\n)',
      call(
        'SelectUniqueValue',
        call('Join', str('@'), attr('a'), str('contoso.com')),
        call('Join', str('@'), attr('b'), str('contoso.com')),
      ),
    ],
  ]
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => {
      assert.deepEqual(shape(parse(text)), expected)
    })
  }

  it('records offsets that point back into the text', () => {
    const ast = parse('Append([a], "b")')
    assert.equal(ast.kind, 'call')
    if (ast.kind !== 'call') return
    assert.deepEqual([ast.start, ast.end], [0, 16])
    assert.deepEqual([ast.args[0]!.start, ast.args[0]!.end], [7, 10])
    assert.deepEqual([ast.args[1]!.start, ast.args[1]!.end], [12, 15])
  })
})

describe('parseExpression: errors say what and where', () => {
  const cases: Array<{ text: string; message: RegExp; position: number; line?: number; column?: number }> = [
    { text: '', message: /^Expression is empty/, position: 0 },
    { text: '   ', message: /^Expression is empty/, position: 0 },
    {
      text: 'Append([a], "b"',
      message: /^Expected "," or "\)" after argument 2 of Append but found the end/,
      position: 15,
    },
    {
      text: 'Append([a] "b")',
      message: /^Expected "," or "\)" after argument 1 of Append but found the string "b"/,
      position: 11,
    },
    { text: 'Append([a, "b")', message: /^Unterminated attribute name/, position: 7 },
    { text: 'Append([], "b")', message: /^Empty attribute name/, position: 7 },
    { text: 'Append([a], "b)', message: /^Unterminated string/, position: 12 },
    { text: 'Append([a], "\\d")', message: /^Invalid escape in string/, position: 13 },
    { text: 'Append([a], b)', message: /^Expected "\(" after the function name "b"/, position: 13 },
    { text: 'Append([a], "b"))', message: /^Unexpected "\)" after the end of the expression/, position: 16 },
    { text: 'Append([a]; "b")', message: /^Unexpected character ";"/, position: 10 },
    {
      text: 'InStr("a", "b", 1, vbSomethingElse)',
      message: /^Expected "\(" after the function name "vbSomethingElse"/,
      position: 34,
    },
    { text: '[a] = [b] = [c]', message: /^Comparisons cannot be chained/, position: 10 },
    {
      text: 'IIF(= "x", "a", "b")',
      message: /^Expected a function call, an \[attribute\], a "string" or a number but found "="/,
      position: 4,
    },
    { text: 'Left([a], 3x)', message: /^Invalid number "3x"/, position: 10 },
    { text: 'BitAnd(&H, 1)', message: /^Hexadecimal literal "&H" needs at least one hex digit/, position: 7 },
    {
      text: 'Join(",",\n  [a],\n  [b]\n',
      message: /^Expected "," or "\)" after argument 3 of Join/,
      position: 23,
      line: 4,
      column: 1,
    },
  ]
  for (const { text, message, position, line, column } of cases) {
    it(`rejects ${JSON.stringify(text)} at offset ${position}`, () => {
      const result = parseExpression(text)
      assert.equal(result.ok, false)
      if (result.ok) return
      assert.equal(result.error.code, 'ERR_EXPRESSION_SYNTAX')
      assert.match(result.error.message, message)
      assert.equal(result.error.position, position)
      if (line !== undefined) assert.deepEqual([result.error.line, result.error.column], [line, column])
      assert.match(result.error.message, /\(line \d+, column \d+\)$/)
    })
  }
})

describe('parseExpression: limits', () => {
  it('accepts an expression of exactly 10,000 characters and rejects one more', () => {
    const body = 'a'.repeat(MAX_EXPRESSION_LENGTH - 2)
    assert.equal(parseExpression(`"${body}"`).ok, true)
    const result = parseExpression(`"${body}a"`)
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.equal(result.error.code, 'ERR_EXPRESSION_TOO_LONG')
    assert.match(result.error.message, /10001 characters long; the limit is 10000/)
  })

  it('refuses nesting deeper than 64 levels without exhausting the stack', () => {
    const deep = `${'ToLower('.repeat(65)}[a]${')'.repeat(65)}`
    const result = parseExpression(deep)
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.match(result.error.message, /nested more than 64 levels deep/)
    assert.equal(parseExpression(`${'ToLower('.repeat(64)}[a]${')'.repeat(64)}`).ok, true)
  })
})
