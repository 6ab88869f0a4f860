import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributeMapping } from '../../../src/provisioning/mapping/attribute-mapping.js'
import { compileMappings } from '../../../src/provisioning/mapping/compile-mappings.js'
import {
  evaluateMappings,
  MappingEvaluationError,
} from '../../../src/provisioning/mapping/evaluate-mappings.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const create = { isSoftDeleted: false, creating: true }
const update = { isSoftDeleted: false, creating: false }

const direct = (target: string, source: string, extra: Partial<AttributeMapping> = {}): AttributeMapping => ({
  target,
  type: 'direct',
  source,
  applyOn: 'always',
  ...extra,
})

describe('evaluateMappings: when a mapping applies', () => {
  const mappings: AttributeMapping[] = [
    direct('userName', 'userPrincipalName'),
    direct('externalId', 'employeeId', { applyOn: 'createOnly' }),
    direct('title', 'jobTitle', { defaultValue: 'Employee' }),
    { target: 'userType', type: 'constant', constant: 'Employee', applyOn: 'always' },
    { target: 'preferredLanguage', type: 'none', defaultValue: 'en-GB', applyOn: 'always' },
    {
      target: 'nickName',
      type: 'expression',
      expression: 'IgnoreFlowIfNullOrEmpty([mailNickname])',
      applyOn: 'always',
    },
    {
      target: 'displayName',
      type: 'expression',
      expression: 'Join(" ", [givenName], [surname])',
      applyOn: 'always',
    },
  ]
  const source = { userPrincipalName: 'u@x.com', employeeId: 'E1', givenName: 'Ada', surname: 'L' }

  it('applies createOnly mappings and defaults on create', () => {
    assert.deepEqual(evaluateMappings(mappings, source, create), {
      userName: 'u@x.com',
      externalId: 'E1',
      title: 'Employee',
      userType: 'Employee',
      preferredLanguage: 'en-GB',
      displayName: 'Ada L',
    })
  })

  it('skips createOnly mappings and defaults on update, and never sends nulls', () => {
    assert.deepEqual(evaluateMappings(mappings, source, update), {
      userName: 'u@x.com',
      userType: 'Employee',
      displayName: 'Ada L',
    })
  })

  it('drops an IgnoreFlowIfNullOrEmpty attribute even when flowing nulls', () => {
    const mapped = evaluateMappings(mappings, { ...source, jobTitle: '' }, { ...update, flowNulls: true })
    assert.equal('nickName' in mapped, false)
    assert.equal(mapped['title'], null)
    assert.equal('externalId' in mapped, false)
    assert.equal('preferredLanguage' in mapped, false)
    assert.equal(evaluateMappings(mappings, { ...source, mailNickname: 'ada' }, update)['nickName'], 'ada')
  })

  it('lets IsSoftDeleted come from the options, not from the source object', () => {
    const mappings: AttributeMapping[] = [
      { target: 'active', type: 'expression', expression: 'Not([IsSoftDeleted])', applyOn: 'always' },
    ]
    assert.deepEqual(
      evaluateMappings(mappings, { IsSoftDeleted: false }, { ...update, isSoftDeleted: true }),
      { active: false },
    )
  })
})

describe('evaluateMappings: values fit their targets', () => {
  it('turns "True"/"False" into booleans for boolean attributes and refuses anything else', () => {
    const mappings: AttributeMapping[] = [direct('active', 'enabled')]
    assert.deepEqual(evaluateMappings(mappings, { enabled: 'False' }, update), { active: false })
    assert.deepEqual(evaluateMappings(mappings, { enabled: true }, update), { active: true })
    assert.throws(() => evaluateMappings(mappings, { enabled: 'maybe' }, update), {
      name: 'MappingEvaluationError',
      message: 'Mapping to active: "maybe" is not True or False',
    })
  })

  it('sends text to string attributes: booleans as True/False, numbers as digits', () => {
    const mappings: AttributeMapping[] = [
      { target: 'title', type: 'expression', expression: 'IsPresent([jobTitle])', applyOn: 'always' },
      { target: 'nickName', type: 'expression', expression: 'Count([aliases])', applyOn: 'always' },
    ]
    assert.deepEqual(evaluateMappings(mappings, { jobTitle: 'x', aliases: ['a', 'b'] }, update), {
      title: 'True',
      nickName: '2',
    })
  })

  it('reads a manager given as an object with an id', () => {
    const mappings = [direct(`${ENTERPRISE}:manager`, 'manager')]
    assert.deepEqual(evaluateMappings(mappings, { manager: { id: 'm1', displayName: 'Boss' } }, update), {
      [`${ENTERPRISE}:manager`]: { reference: 'm1' },
    })
  })

  it('refuses several values for a single-valued target', () => {
    assert.throws(() => evaluateMappings([direct('title', 'titles')], { titles: ['a', 'b'] }, update), {
      message: 'Mapping to title: expected a single value, got 2 values',
    })
    assert.deepEqual(evaluateMappings([direct('title', 'titles')], { titles: ['a'] }, update), { title: 'a' })
  })

  it('sends a Split result to a multi-valued custom target only when the schema says it is multi-valued', () => {
    const mappings: AttributeMapping[] = [
      {
        target: 'urn:example:custom:2.0:User:tags',
        type: 'expression',
        expression: 'Split([tags], ",")',
        applyOn: 'always',
      },
    ]
    // Unknown extension attributes are single-valued (Entra's rule for custom extension attributes).
    assert.throws(() => evaluateMappings(mappings, { tags: 'a,b' }, update), {
      message: /expected a single value, got 2 values/,
    })
    assert.deepEqual(evaluateMappings(mappings, { tags: 'a' }, update), {
      'urn:example:custom:2.0:User:tags': 'a',
    })
  })

  it('names the mapping when an expression fails for one object', () => {
    const mappings: AttributeMapping[] = [
      { target: 'nickName', type: 'expression', expression: 'Mid([givenName], 0, 1)', applyOn: 'always' },
    ]
    assert.throws(
      () => evaluateMappings(mappings, { givenName: 'Ada' }, update),
      (error: unknown) =>
        error instanceof MappingEvaluationError &&
        error.code === 'ERR_MAPPING_EVALUATION' &&
        error.target === 'nickName' &&
        error.message === 'Mapping to nickName: Mid start must be 1 or more, got 0 (line 1, column 1)',
    )
  })

  it('throws a TypeError for a mapping set that does not compile', () => {
    assert.throws(() => evaluateMappings([direct('title', '')], {}, update), {
      name: 'TypeError',
      message: 'Invalid attribute mappings: Mapping to title: a direct mapping needs a source attribute',
    })
  })
})

describe('compileMappings: every problem, named by target', () => {
  it('reports invalid targets, missing parts, bad expressions and precedence clashes', () => {
    const result = compileMappings([
      direct('userName', 'userPrincipalName', { matching: { precedence: 1 } }),
      direct('id', 'objectId'),
      direct('emails[type eq "work" or primary eq true].value', 'mail'),
      direct('USERNAME', 'mail'),
      { target: 'title', type: 'constant', applyOn: 'always' },
      { target: 'displayName', type: 'expression', expression: 'Join(" ", [a]', applyOn: 'always' },
      { target: 'nickName', type: 'none', applyOn: 'always' },
      direct('externalId', 'objectId', { matching: { precedence: 1 } }),
      direct('userType', 'x', { matching: { precedence: 0 } }),
      {
        target: 'name.formatted',
        type: 'expression',
        expression: 'SelectUniqueValue([a], [b])',
        applyOn: 'always',
        matching: { precedence: 2 },
      },
      { target: 'locale', type: 'lookup' as 'direct', applyOn: 'always' },
    ])
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.deepEqual(
      result.errors.map((error) => [error.index, error.message]),
      [
        [1, 'Mapping to id: the target id is assigned by the SCIM service and cannot be mapped'],
        [
          2,
          'Mapping to emails[type eq "work" or primary eq true].value: emails[type eq "work" or primary eq true].value: only a filter of the form [type eq "value"] is supported',
        ],
        [3, 'Mapping to USERNAME: the target is already mapped by mapping 1'],
        [4, 'Mapping to title: a constant mapping needs a constant value'],
        [
          5,
          'Mapping to displayName: Expected "," or ")" after argument 2 of Join but found the end of the expression (line 1, column 14)',
        ],
        [6, 'Mapping to nickName: a mapping of type none only supplies its defaultValue, which is missing'],
        [7, 'Mapping to externalId: matching precedence 1 is also used by userName'],
        [8, 'Mapping to userType: matching precedence must be a positive integer'],
        [9, 'Mapping to name.formatted: SelectUniqueValue cannot be used on a matching attribute'],
        [10, 'Mapping to locale: unknown mapping type "lookup"'],
      ],
    )
  })
})
