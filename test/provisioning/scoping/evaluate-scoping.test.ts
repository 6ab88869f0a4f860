import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CompiledScoping, compileScoping } from '../../../src/provisioning/scoping/compile-scoping.js'
import { evaluateScoping, isInScope } from '../../../src/provisioning/scoping/evaluate-scoping.js'
import type { ScopingFilter } from '../../../src/provisioning/scoping/scoping-filter.js'

function compile(filters: ScopingFilter[]): CompiledScoping {
  const result = compileScoping(filters)
  assert.ok(result.ok, result.ok ? '' : result.errors.map((e) => e.message).join('\n'))
  return result.value
}

const clause = (attribute: string, operator: string, value?: string): ScopingFilter => ({
  clauses: [{ attribute, operator, ...(value === undefined ? {} : { value }) }],
})

type Case = [operator: string, value: string | undefined, attribute: unknown, expected: boolean]

/** Each operator against typical, boundary and null/empty attribute values. */
const cases: Case[] = [
  ['EQUALS', 'Sales', 'Sales', true],
  ['EQUALS', 'Sales', 'sales', false],
  ['EQUALS', 'Sales', 'Sales ', false],
  ['EQUALS', 'Sales', undefined, false],
  ['EQUALS', 'Sales', '', false],
  ['EQUALS', '42', 42, true],
  ['EQUALS', 'True', true, true],
  ['NOT EQUALS', 'Sales', 'Marketing', true],
  ['NOT EQUALS', 'Sales', 'Sales', false],
  ['NOT EQUALS', 'Sales', 'sales', true],
  ['NOT EQUALS', 'Sales', null, false],
  ['NOT EQUALS', 'Sales', '', false],
  ['ENDS_WITH', '@contoso.com', 'ada@contoso.com', true],
  ['ENDS_WITH', '@contoso.com', 'ada@CONTOSO.com', false],
  ['ENDS_WITH', '@contoso.com', undefined, false],
  ['Includes', 'Eng', 'Senior Engineer', true],
  ['Includes', 'eng', 'Senior Engineer', false],
  ['Includes', 'Eng', '', false],
  ['&', 'Sales,Marketing,Support', 'Marketing', true],
  ['&', 'Sales,Marketing,Support', 'Finance', false],
  ['&', 'Sales,Marketing,Support', undefined, false],
  ['!&', 'Sales,Marketing,Support', 'Finance', true],
  ['!&', 'Sales,Marketing,Support', 'Sales', false],
  ['!&', 'Sales,Marketing,Support', '', false],
  ['Greater_Than', '1000000', '1500000', true],
  ['Greater_Than', '1000000', '1000000', false],
  ['Greater_Than', '1000000', 999999, false],
  ['Greater_Than', '-5', '0', true],
  ['Greater_Than', '10', '12.5', false],
  ['Greater_Than', '10', 'eleven', false],
  ['Greater_Than', '10', undefined, false],
  ['Greater_Than', '9007199254740992', '9007199254740993', true],
  ['Greater_Than_OR_EQUALS', '1000000', '1000000', true],
  ['Greater_Than_OR_EQUALS', '1000000', 999999, false],
  ['Greater_Than_OR_EQUALS', '0', '', false],
  ['IS TRUE', undefined, true, true],
  ['IS TRUE', undefined, 'True', true],
  ['IS TRUE', undefined, 'true', true],
  ['IS TRUE', undefined, false, false],
  ['IS TRUE', undefined, 'yes', false],
  ['IS TRUE', undefined, undefined, false],
  ['IS FALSE', undefined, false, true],
  ['IS FALSE', undefined, 'False', true],
  ['IS FALSE', undefined, true, false],
  ['IS FALSE', undefined, undefined, false],
  ['IS NULL', undefined, undefined, true],
  ['IS NULL', undefined, null, true],
  ['IS NULL', undefined, '', true],
  ['IS NULL', undefined, [], true],
  ['IS NULL', undefined, 'x', false],
  ['IS NULL', undefined, false, false],
  ['IS NOT NULL', undefined, 'x', true],
  ['IS NOT NULL', undefined, 0, true],
  ['IS NOT NULL', undefined, '', false],
  ['IS NOT NULL', undefined, undefined, false],
  // Microsoft's examples.
  ['REGEX MATCH', '.*\\@domain.com', 'ada@domain.com', true],
  ['REGEX MATCH', '.*\\@domain.com', 'ada@other.com', false],
  ['REGEX MATCH', '(1[0-9][0-9][0-9][0-9][0-9][0-9])', '1234567', true],
  ['REGEX MATCH', '(1[0-9][0-9][0-9][0-9][0-9][0-9])', '2234567', false],
  ['REGEX MATCH', '([1-9][0-9])', '42', true],
  ['REGEX MATCH', '^sales$', 'Sales', false],
  ['REGEX MATCH', '.*', '', false],
  ['REGEX MATCH', '.*', undefined, false],
  ['NOT REGEX MATCH', '.*\\@domain.com', 'ada@other.com', true],
  ['NOT REGEX MATCH', '.*\\@domain.com', 'ada@domain.com', false],
  ['NOT REGEX MATCH', '.*\\@domain.com', undefined, false],
  ['NOT REGEX MATCH', '.*\\@domain.com', '', false],
]

describe('scoping operators', () => {
  for (const [operator, value, attribute, expected] of cases) {
    const valueText = value === undefined ? '' : ` ${JSON.stringify(value)}`
    it(`attribute ${JSON.stringify(attribute)} ${operator}${valueText} is ${expected}`, () => {
      const scoping = compile([clause('attr', operator, value)])
      assert.equal(isInScope(scoping, attribute === undefined ? {} : { attr: attribute }), expected)
      assert.equal(evaluateScoping(scoping, { attr: attribute }).inScope, expected)
    })
  }
})

describe('scoping: multi-valued attributes (Entra cannot filter on them)', () => {
  const user = { proxyAddresses: ['smtp:a@x.com', 'SMTP:b@y.com'] }
  const table: Array<[string, string | undefined, boolean]> = [
    ['EQUALS', 'smtp:a@x.com', true],
    ['EQUALS', 'smtp:c@z.com', false],
    ['NOT EQUALS', 'smtp:a@x.com', false],
    ['NOT EQUALS', 'smtp:c@z.com', true],
    ['ENDS_WITH', '@y.com', true],
    ['REGEX MATCH', '^SMTP:', true],
    ['NOT REGEX MATCH', '^SMTP:', false],
    ['NOT REGEX MATCH', '^X400:', true],
    ['IS NOT NULL', undefined, true],
  ]
  for (const [operator, value, expected] of table) {
    it(`${operator} ${value ?? ''} is ${expected}: positive operators need any value, negative ones no value`, () => {
      assert.equal(isInScope(compile([clause('proxyAddresses', operator, value)]), user), expected)
    })
  }
})

describe('scoping: composition', () => {
  // Microsoft's example: New York, Engineering, employee id between 1,000,000 and 2,000,000, a title.
  const newYorkEngineers: ScopingFilter = {
    title: 'NY engineers',
    clauses: [
      { attribute: 'state', operator: 'EQUALS', value: 'New York' },
      { attribute: 'department', operator: 'EQUALS', value: 'Engineering' },
      { attribute: 'employeeId', operator: 'Greater_Than_OR_EQUALS', value: '1000000' },
      { attribute: 'employeeId', operator: 'NOT REGEX MATCH', value: '^2[0-9]{6}[0-9]' },
      { attribute: 'jobTitle', operator: 'IS NOT NULL' },
    ],
  }
  const contractors: ScopingFilter = {
    title: 'Contractors',
    clauses: [{ attribute: 'employeeType', operator: 'EQUALS', value: 'Contractor' }],
  }
  const engineer = {
    state: 'New York',
    department: 'Engineering',
    employeeId: '1500000',
    jobTitle: 'Engineer',
  }

  it('ANDs the clauses of one filter', () => {
    const scoping = compile([newYorkEngineers])
    assert.equal(isInScope(scoping, engineer), true)
    assert.equal(isInScope(scoping, { ...engineer, state: 'Ohio' }), false)
    assert.equal(isInScope(scoping, { ...engineer, employeeId: '999999' }), false)
    assert.equal(isInScope(scoping, { ...engineer, jobTitle: '' }), false)
  })

  it('ORs the filters', () => {
    const scoping = compile([newYorkEngineers, contractors])
    assert.equal(isInScope(scoping, { employeeType: 'Contractor' }), true)
    assert.equal(isInScope(scoping, engineer), true)
    assert.equal(isInScope(scoping, { ...engineer, state: 'Ohio' }), false)
  })

  it('puts everyone in scope when there are no filters', () => {
    assert.equal(isInScope(compile([]), {}), true)
    assert.deepEqual(evaluateScoping(compile([]), {}), { inScope: true, failures: [] })
  })

  it('explains the outcome: the filter that passed, or the first failing clause of each filter', () => {
    const scoping = compile([newYorkEngineers, contractors])
    assert.deepEqual(evaluateScoping(scoping, { employeeType: 'Contractor' }), {
      inScope: true,
      matchedFilter: 'Contractors',
      failures: [],
    })
    assert.deepEqual(evaluateScoping(scoping, { ...engineer, department: 'Sales' }), {
      inScope: false,
      failures: [
        {
          filter: 'NY engineers',
          clause: 1,
          attribute: 'department',
          operator: 'EQUALS',
          reason: 'the attribute does not equal "Engineering"',
        },
        {
          filter: 'Contractors',
          clause: 0,
          attribute: 'employeeType',
          operator: 'EQUALS',
          reason: 'the attribute is null or empty',
        },
      ],
    })
  })

  it('fails closed on a value too long to test against a regular expression', () => {
    const long = { description: `${'x'.repeat(2000)}@contoso.com` }
    assert.equal(isInScope(compile([clause('description', 'REGEX MATCH', '@contoso')]), long), false)
    assert.equal(isInScope(compile([clause('description', 'NOT REGEX MATCH', '@fabrikam')]), long), false)
    assert.equal(
      evaluateScoping(compile([clause('description', 'REGEX MATCH', '@contoso')]), long).failures[0]!.reason,
      'the attribute is too long to test against a regular expression',
    )
  })

  it('reads dotted attribute names from nested source objects', () => {
    const scoping = compile([clause('employeeOrgData.division', 'EQUALS', 'R&D')])
    assert.equal(isInScope(scoping, { employeeOrgData: { division: 'R&D' } }), true)
  })
})
