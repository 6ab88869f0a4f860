import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileExpression } from '../../../src/provisioning/expressions/compile-expression.js'

function failure(text: string) {
  const result = compileExpression(text)
  assert.equal(result.ok, false, `${text} should not compile`)
  if (result.ok) throw new Error('unreachable')
  return result.error
}

describe('compileExpression: functions are checked against the registry', () => {
  const cases: Array<{ text: string; code: string; message: RegExp; position: number }> = [
    {
      text: 'Frobnicate([a])',
      code: 'ERR_EXPRESSION_UNKNOWN_FUNCTION',
      message: /^Unknown function "Frobnicate" \(/,
      position: 0,
    },
    {
      text: 'Append(switch([a], "x", "1", "2"), "y")',
      code: 'ERR_EXPRESSION_UNKNOWN_FUNCTION',
      message: /^Unknown function "switch"; function names are case-sensitive, did you mean "Switch"\?/,
      position: 7,
    },
    {
      text: 'Append([a])',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Append\(source, suffix\) expects 2 arguments but got 1/,
      position: 0,
    },
    {
      text: 'Not([a], [b])',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Not\(source\) expects 1 argument but got 2/,
      position: 0,
    },
    {
      text: 'Join(",")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Join\(separator, source1, …\) expects at least 2 arguments but got 1/,
      position: 0,
    },
    {
      text: 'ToLower()',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^ToLower\(source, culture\) expects 1 to 2 arguments but got 0/,
      position: 0,
    },
    { text: 'Coalesce()', code: 'ERR_EXPRESSION_ARITY', message: /expects at least 1 argument/, position: 0 },
    {
      text: 'Switch([a], "d", "k")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Switch\(source, defaultValue, key\/value1, …\) expects at least 4 arguments but got 3/,
      position: 0,
    },
    {
      text: 'Switch([a], "d", "k", "v", "k2")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Switch needs keys and values in pairs/,
      position: 0,
    },
    {
      text: 'Append(, "x")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Append: argument 1 \(source\) is required but is empty/,
      position: 0,
    },
    {
      text: 'SelectUniqueValue([a])',
      code: 'ERR_EXPRESSION_ARITY',
      message: /expects at least 2 arguments/,
      position: 0,
    },
    {
      text: 'ToLower(IgnoreFlowIfNullOrEmpty([a]))',
      code: 'ERR_EXPRESSION_PLACEMENT',
      message: /^IgnoreFlowIfNullOrEmpty must be the outermost function/,
      position: 8,
    },
    {
      text: 'Join("", SelectUniqueValue([a], [b]))',
      code: 'ERR_EXPRESSION_PLACEMENT',
      message: /^SelectUniqueValue must be the outermost function/,
      position: 9,
    },
    {
      text: 'Replace([telephoneNumber], , "\\\\d+", , "", , )',
      code: 'ERR_EXPRESSION_UNSUPPORTED',
      message: /^Replace with regexPattern, regexGroupName or replacementAttributeName is not supported yet/,
      position: 0,
    },
    {
      text: 'Replace([a], , , , "x", , )',
      code: 'ERR_EXPRESSION_ARITY',
      message: /^Replace needs an oldValue/,
      position: 0,
    },
    {
      text: 'FormatDateTime([d], , "yyyy")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /expects 4 arguments but got 3/,
      position: 0,
    },
    {
      text: 'FormatDateTime([d], , , "yyyy")',
      code: 'ERR_EXPRESSION_ARITY',
      message: /argument 3 \(inputFormat\) is required/,
      position: 0,
    },
  ]
  for (const { text, code, message, position } of cases) {
    it(`rejects ${text} with ${code}`, () => {
      const error = failure(text)
      assert.equal(error.code, code)
      assert.match(error.message, message)
      assert.equal(error.position, position)
    })
  }

  it('accepts an optional argument left empty or omitted at the end', () => {
    assert.equal(compileExpression('ToLower([a])').ok, true)
    assert.equal(compileExpression('ToLower([a], )').ok, true)
    assert.equal(compileExpression('ToLower([a], "tr-TR")').ok, true)
    assert.equal(compileExpression('FormatDateTime([d], , "yyyyMMdd", "yyyy-MM-dd")').ok, true)
  })

  it('lists the source attributes an expression reads, once each, in order of use', () => {
    const result = compileExpression('IIF([country]="USA", Join(" ", [givenName], [surname]), [country])')
    assert.ok(result.ok)
    assert.deepEqual(result.value.attributes, ['country', 'givenName', 'surname'])
  })
})
