import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileScoping } from '../../../src/provisioning/scoping/compile-scoping.js'
import type { ScopingClause } from '../../../src/provisioning/scoping/scoping-filter.js'

function errorFor(clause: ScopingClause): string {
  const result = compileScoping([{ title: 'Sales', clauses: [clause] }])
  assert.equal(result.ok, false)
  if (result.ok) throw new Error('unreachable')
  assert.equal(result.errors.length, 1)
  assert.equal(result.errors[0]!.code, 'ERR_SCOPING_INVALID_CLAUSE')
  return result.errors[0]!.message
}

describe('compileScoping: clauses are validated up front', () => {
  const cases: Array<[ScopingClause, string]> = [
    [
      { attribute: 'department', operator: 'equals', value: 'Sales' },
      'Scoping filter "Sales", clause 1 (department equals): unknown operator "equals"; operators are case-sensitive, did you mean "EQUALS"?',
    ],
    [
      { attribute: 'department', operator: 'STARTS_WITH', value: 'S' },
      'unknown operator "STARTS_WITH"; expected one of "&", "!&", "ENDS_WITH"',
    ],
    [
      { attribute: 'department', operator: 'EQUALS' },
      'Scoping filter "Sales", clause 1 (department EQUALS): EQUALS needs a value',
    ],
    [{ attribute: ' ', operator: 'EQUALS', value: 'x' }, 'the attribute name is empty'],
    [{ attribute: 'jobTitle', operator: 'IS NULL', value: 'x' }, 'IS NULL takes no value, got "x"'],
    [
      { attribute: 'employeeId', operator: 'Greater_Than', value: '10.5' },
      'Greater_Than compares integers, but the value "10.5" is not one',
    ],
    [
      { attribute: 'employeeId', operator: 'Greater_Than_OR_EQUALS', value: 'ten' },
      'Greater_Than_OR_EQUALS compares integers',
    ],
    [{ attribute: 'mail', operator: 'REGEX MATCH', value: '([a-z]' }, 'invalid regular expression'],
    [
      { attribute: 'mail', operator: 'REGEX MATCH', value: '(a+)+$' },
      'a repeated group contains a repetition or alternation',
    ],
    [
      { attribute: 'mail', operator: 'NOT REGEX MATCH', value: 'x'.repeat(1001) },
      'the pattern is 1001 characters long; the limit is 1000',
    ],
  ]
  for (const [clause, expected] of cases) {
    it(`rejects ${clause.attribute} ${clause.operator} ${JSON.stringify(clause.value ?? '').slice(0, 20)}`, () => {
      assert.ok(errorFor(clause).includes(expected), errorFor(clause))
    })
  }

  it('reports every problem at once, with filter and clause positions', () => {
    const result = compileScoping([
      { clauses: [{ attribute: 'a', operator: 'EQUALS', value: 'x' }] },
      {
        title: 'Broken',
        clauses: [
          { attribute: 'a', operator: 'NOPE', value: 'x' },
          { attribute: 'b', operator: 'IS TRUE' },
          { attribute: 'c', operator: 'Includes' },
        ],
      },
      { clauses: [] },
    ])
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.errors.map(({ code, filter, clause }) => ({ code, filter, clause })),
      [
        { code: 'ERR_SCOPING_INVALID_CLAUSE', filter: 1, clause: 0 },
        { code: 'ERR_SCOPING_INVALID_CLAUSE', filter: 1, clause: 2 },
        { code: 'ERR_SCOPING_EMPTY_FILTER', filter: 2, clause: undefined },
      ],
    )
    assert.equal(result.errors[2]!.message, 'Scoping filter 3 has no clauses')
  })

  it('accepts every Entra operator spelled as Entra spells it', () => {
    const result = compileScoping([
      {
        clauses: [
          { attribute: 'a', operator: '&', value: 'x' },
          { attribute: 'a', operator: '!&', value: 'x' },
          { attribute: 'a', operator: 'ENDS_WITH', value: 'x' },
          { attribute: 'a', operator: 'EQUALS', value: 'x' },
          { attribute: 'a', operator: 'Greater_Than', value: '1' },
          { attribute: 'a', operator: 'Greater_Than_OR_EQUALS', value: '-1' },
          { attribute: 'a', operator: 'Includes', value: 'x' },
          { attribute: 'a', operator: 'IS FALSE' },
          { attribute: 'a', operator: 'IS NOT NULL' },
          { attribute: 'a', operator: 'IS NULL', value: '' },
          { attribute: 'a', operator: 'IS TRUE' },
          { attribute: 'a', operator: 'NOT EQUALS', value: 'x' },
          { attribute: 'a', operator: 'NOT REGEX MATCH', value: 'x' },
          { attribute: 'a', operator: 'REGEX MATCH', value: 'x' },
        ],
      },
    ])
    assert.ok(result.ok)
    assert.equal(result.value[0]!.clauses.length, 14)
  })
})
