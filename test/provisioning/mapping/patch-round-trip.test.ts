import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ResolvedAttributes } from '../../../src/provisioning/mapping/attribute-mapping.js'
import { createBody } from '../../../src/provisioning/mapping/create-body.js'
import { diffForPatch } from '../../../src/provisioning/mapping/diff-for-patch.js'
import { applyPatch } from '../../../src/scim/patch/apply-patch.js'
import { PATCH_OP_SCHEMA } from '../../../src/scim/patch/parse-patch-request.js'
import type { Json } from '../../../src/scim/resource/json.js'
import { userResource } from '../../../src/scim/schema/registry.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const start: ResolvedAttributes = {
  userName: 'ada@contoso.com',
  active: true,
  title: 'Engineer',
  'emails[type eq "work"].value': 'ada@contoso.com',
  'name.givenName': 'Ada',
  'name.familyName': 'Lovelace',
  [`${ENTERPRISE}:department`]: 'R&D',
  [`${ENTERPRISE}:manager`]: 'tgt-boss',
}

/**
 * The operations must do what they say on a real SCIM PATCH engine (Roster's own): applying the
 * diff reaches the desired state, after which the diff is empty.
 */
describe("diffForPatch against Roster's PATCH engine", () => {
  const changes: Array<[string, ResolvedAttributes]> = [
    [
      'edits of every kind',
      { title: 'CTO', active: false, 'name.familyName': 'King', [`${ENTERPRISE}:department`]: 'Research' },
    ],
    [
      'a new work phone and cost center',
      { 'phoneNumbers[type eq "work"].value': '+442071234567', [`${ENTERPRISE}:costCenter`]: 'CC1' },
    ],
    ['a changed work email', { 'emails[type eq "work"].value': 'ada.king@contoso.com' }],
    ['a new manager', { [`${ENTERPRISE}:manager`]: 'tgt-new-boss' }],
    [
      'cleared title, work email and manager',
      { title: null, 'emails[type eq "work"].value': null, [`${ENTERPRISE}:manager`]: null },
    ],
  ]
  for (const [name, change] of changes) {
    it(`converges after ${name}`, () => {
      const current = { ...createBody(start), id: 'tgt-ada' } as Json
      const desired = { ...start, ...change }
      const Operations = diffForPatch(desired, current)
      assert.ok(Operations.length > 0)
      const { resource } = applyPatch(current, { schemas: [PATCH_OP_SCHEMA], Operations }, userResource)
      assert.deepEqual(diffForPatch(desired, resource), [])
    })
  }
})
