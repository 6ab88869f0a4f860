import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileMappings } from '../../../src/provisioning/mapping/compile-mappings.js'
import { createBody } from '../../../src/provisioning/mapping/create-body.js'
import {
  DEFAULT_GROUP_MAPPINGS,
  DEFAULT_USER_MAPPINGS,
} from '../../../src/provisioning/mapping/default-mappings.js'
import { diffForPatch } from '../../../src/provisioning/mapping/diff-for-patch.js'
import { evaluateMappings } from '../../../src/provisioning/mapping/evaluate-mappings.js'
import { matchingQueries } from '../../../src/provisioning/mapping/matching.js'
import { resolveReferences } from '../../../src/provisioning/mapping/resolve-references.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** A source user as a directory connector exposes it (Microsoft Graph attribute names). */
const ada = {
  objectId: 'src-ada',
  userPrincipalName: 'ada.lovelace@contoso.com',
  accountEnabled: true,
  jobTitle: 'Principal Engineer',
  mail: 'ada.lovelace@contoso.com',
  givenName: 'Ada',
  surname: 'Lovelace',
  displayName: 'Ada Lovelace',
  telephoneNumber: '+442071234567',
  manager: 'src-charles',
  department: 'Analytical Engines',
  employeeOrgData: { costCenter: 'CC-1815', division: 'Research' },
  companyName: 'Contoso Ltd',
  employeeId: 'E-1815',
}

const targetIds: Record<string, string> = { 'src-charles': 'tgt-charles' }

describe('default user mappings (the AlexisHR tutorial table)', () => {
  it('compile without errors and map exactly the tutorial targets', () => {
    const result = compileMappings(DEFAULT_USER_MAPPINGS)
    assert.ok(result.ok)
    assert.deepEqual(
      DEFAULT_USER_MAPPINGS.map((mapping) => mapping.target),
      [
        'userName',
        'active',
        'title',
        'emails[type eq "work"].value',
        'name.givenName',
        'name.familyName',
        'phoneNumbers[type eq "work"].value',
        `${ENTERPRISE}:manager`,
        `${ENTERPRISE}:department`,
        `${ENTERPRISE}:costCenter`,
        `${ENTERPRISE}:division`,
        `${ENTERPRISE}:organization`,
      ],
    )
  })

  it('map a complete, active user; the manager is a reference to its source id', () => {
    assert.deepEqual(evaluateMappings(DEFAULT_USER_MAPPINGS, ada, { isSoftDeleted: false, creating: true }), {
      userName: 'ada.lovelace@contoso.com',
      active: true,
      title: 'Principal Engineer',
      'emails[type eq "work"].value': 'ada.lovelace@contoso.com',
      'name.givenName': 'Ada',
      'name.familyName': 'Lovelace',
      'phoneNumbers[type eq "work"].value': '+442071234567',
      [`${ENTERPRISE}:manager`]: { reference: 'src-charles' },
      [`${ENTERPRISE}:department`]: 'Analytical Engines',
      [`${ENTERPRISE}:costCenter`]: 'CC-1815',
      [`${ENTERPRISE}:division`]: 'Research',
      [`${ENTERPRISE}:organization`]: 'Contoso Ltd',
    })
  })

  it('build the POST body with the enterprise extension and the resolved manager', () => {
    const mapped = evaluateMappings(DEFAULT_USER_MAPPINGS, ada, { isSoftDeleted: false, creating: true })
    const { attributes, unresolved } = resolveReferences(mapped, (id) => targetIds[id])
    assert.deepEqual(unresolved, [])
    assert.deepEqual(createBody(attributes), {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'ada.lovelace@contoso.com',
      active: true,
      title: 'Principal Engineer',
      emails: [{ type: 'work', value: 'ada.lovelace@contoso.com' }],
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      phoneNumbers: [{ type: 'work', value: '+442071234567' }],
      [ENTERPRISE]: {
        manager: { value: 'tgt-charles' },
        department: 'Analytical Engines',
        costCenter: 'CC-1815',
        division: 'Research',
        organization: 'Contoso Ltd',
      },
    })
  })

  it('map a disabled user (IsSoftDeleted true) to active false, as a real boolean', () => {
    const mapped = evaluateMappings(
      DEFAULT_USER_MAPPINGS,
      { ...ada, accountEnabled: false },
      { isSoftDeleted: true, creating: false },
    )
    assert.equal(mapped['active'], false)
  })

  it('disable a soft-deleted user with one replace of active and nothing else', () => {
    const mapped = evaluateMappings(DEFAULT_USER_MAPPINGS, ada, { isSoftDeleted: false, creating: true })
    const current = {
      id: 'tgt-ada',
      ...createBody(resolveReferences(mapped, (id) => targetIds[id]).attributes),
    }
    const deleted = evaluateMappings(DEFAULT_USER_MAPPINGS, ada, { isSoftDeleted: true, creating: false })
    const { attributes } = resolveReferences(deleted, (id) => targetIds[id])
    assert.deepEqual(diffForPatch(attributes, current), [{ op: 'replace', path: 'active', value: false }])
  })

  it('leave out optional attributes the source does not have', () => {
    const minimal = {
      userPrincipalName: 'grace@contoso.com',
      givenName: 'Grace',
      surname: 'Hopper',
      mail: '',
      telephoneNumber: null,
    }
    const mapped = evaluateMappings(DEFAULT_USER_MAPPINGS, minimal, { isSoftDeleted: false, creating: true })
    assert.deepEqual(mapped, {
      userName: 'grace@contoso.com',
      active: true,
      'name.givenName': 'Grace',
      'name.familyName': 'Hopper',
    })
    assert.deepEqual(createBody(resolveReferences(mapped, () => undefined).attributes), {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'grace@contoso.com',
      active: true,
      name: { givenName: 'Grace', familyName: 'Hopper' },
    })
  })

  it('match by userName first', () => {
    const mapped = evaluateMappings(DEFAULT_USER_MAPPINGS, ada, { isSoftDeleted: false, creating: true })
    assert.deepEqual(matchingQueries(DEFAULT_USER_MAPPINGS, mapped), [
      {
        target: 'userName',
        value: 'ada.lovelace@contoso.com',
        filter: 'userName eq "ada.lovelace@contoso.com"',
      },
    ])
  })
})

describe('default group mappings', () => {
  const group = {
    objectId: 'src-g1',
    displayName: 'Engineering',
    members: ['src-ada', 'src-charles', 'src-unknown'],
  }

  it('map displayName, externalId and members as references', () => {
    assert.deepEqual(
      evaluateMappings(DEFAULT_GROUP_MAPPINGS, group, { isSoftDeleted: false, creating: true }),
      {
        displayName: 'Engineering',
        externalId: 'src-g1',
        members: [{ reference: 'src-ada' }, { reference: 'src-charles' }, { reference: 'src-unknown' }],
      },
    )
  })

  it('build a Group body with the members that exist in the target', () => {
    const mapped = evaluateMappings(DEFAULT_GROUP_MAPPINGS, group, { isSoftDeleted: false, creating: true })
    const ids: Record<string, string> = { 'src-ada': 'tgt-ada', 'src-charles': 'tgt-charles' }
    const { attributes, unresolved } = resolveReferences(mapped, (id) => ids[id])
    assert.deepEqual(unresolved, [{ target: 'members', sourceId: 'src-unknown' }])
    assert.deepEqual(createBody(attributes, 'Group'), {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      externalId: 'src-g1',
      members: [{ value: 'tgt-ada' }, { value: 'tgt-charles' }],
    })
  })

  it('match by displayName', () => {
    const mapped = evaluateMappings(DEFAULT_GROUP_MAPPINGS, group, { isSoftDeleted: false, creating: true })
    assert.deepEqual(
      matchingQueries(DEFAULT_GROUP_MAPPINGS, mapped).map((query) => query.filter),
      ['displayName eq "Engineering"'],
    )
  })
})
