import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileExpression } from '../../../src/provisioning/expressions/compile-expression.js'
import { evaluateExpression } from '../../../src/provisioning/expressions/evaluate-expression.js'
import { ExpressionError } from '../../../src/provisioning/expressions/expression-error.js'
import { readAttribute } from '../../../src/provisioning/expressions/read-attribute.js'

function compiled(text: string) {
  const result = compileExpression(text)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

describe('evaluateExpression: errors at run time point at the call', () => {
  const cases: Array<{ text: string; input: Record<string, unknown>; message: RegExp; position: number }> = [
    {
      text: 'Append("x", ToLower([proxies]))',
      input: { proxies: ['a', 'b'] },
      message: /^ToLower source expects a single value but got 2 values/,
      position: 12,
    },
    {
      text: 'Mid([s], 0, 2)',
      input: { s: 'abc' },
      message: /^Mid start must be 1 or more, got 0/,
      position: 0,
    },
    {
      text: 'Left([s], "three")',
      input: { s: 'abc' },
      message: /^Left numChars must be an integer, got "three"/,
      position: 0,
    },
    {
      text: 'IIF([flag], "a", "b")',
      input: { flag: 'yes' },
      message: /^IIF condition must be True or False, got "yes"/,
      position: 0,
    },
    { text: 'CBool([n])', input: { n: 'abc' }, message: /^CBool cannot convert "abc"/, position: 0 },
    {
      text: 'ToLower([s], "xx-not-a-culture-!!")',
      input: { s: 'A' },
      message: /^ToLower: unknown culture/,
      position: 0,
    },
    {
      text: 'FormatDateTime([d], , "yyyy-MM-dd", "dd")',
      input: { d: '2024-13-01' },
      message: /^FormatDateTime: "2024-13-01" is not a valid date/,
      position: 0,
    },
    {
      text: 'FormatDateTime([d], , "yyyy-MM-dd", "dd")',
      input: { d: '2024/01/01' },
      message: /does not match "yyyy-MM-dd" at "-"/,
      position: 0,
    },
    {
      text: 'ToLower([obj])',
      input: { obj: { a: 1 } },
      message: /Attribute \[obj\] holds an object/,
      position: 8,
    },
  ]
  for (const { text, input, message, position } of cases) {
    it(`${text} fails with a located message`, () => {
      assert.throws(
        () => evaluateExpression(compiled(text), input),
        (error: unknown) => {
          assert.ok(error instanceof ExpressionError)
          assert.equal(error.code, 'ERR_EXPRESSION_EVALUATION')
          assert.match(error.message, message)
          assert.equal(error.position, position)
          return true
        },
      )
    })
  }

  it('does not evaluate the branch IIF does not take', () => {
    const expression = compiled('IIF(IsPresent([s]), Mid([s], 1, 1), "none")')
    assert.deepEqual(evaluateExpression(expression, {}), { flow: true, value: 'none' })
  })
})

describe('evaluateExpression: source attributes', () => {
  it('reads dotted names as flat keys first, then as nested paths', () => {
    assert.equal(
      readAttribute({ 'employeeOrgData.costCenter': 'flat' }, 'employeeOrgData.costCenter'),
      'flat',
    )
    assert.equal(
      readAttribute({ employeeOrgData: { costCenter: 'nested' } }, 'employeeOrgData.costCenter'),
      'nested',
    )
    assert.equal(readAttribute({ employeeOrgData: null }, 'employeeOrgData.costCenter'), undefined)
    assert.equal(readAttribute({}, 'missing'), undefined)
  })

  it('does not read inherited properties such as toString', () => {
    assert.deepEqual(evaluateExpression(compiled('IsNull([toString])'), {}), { flow: true, value: true })
  })

  it('reads a reference object by its id, and booleans print as True/False', () => {
    assert.deepEqual(evaluateExpression(compiled('CStr([manager])'), { manager: { id: 'm-1' } }), {
      flow: true,
      value: 'm-1',
    })
    assert.deepEqual(evaluateExpression(compiled('Append([b], "!")'), { b: false }), {
      flow: true,
      value: 'False!',
    })
  })

  it('flattens nested arrays and drops nulls from multi-valued attributes', () => {
    assert.deepEqual(evaluateExpression(compiled('Join(",", [x])'), { x: ['a', null, ['b', 'c']] }), {
      flow: true,
      value: 'a,b,c',
    })
  })
})
