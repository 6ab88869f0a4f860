import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { renderUserJson } from '../../src/directory/user-json.js'
import { renderUser, userColumns } from '../../src/directory/user-record.js'
import { applyPatch } from '../../src/scim/patch/apply-patch.js'
import { normalizeResource } from '../../src/scim/resource/normalize.js'
import { userResource } from '../../src/scim/schema/registry.js'
import type { RenderableUser } from '../../src/store/users-repository.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const BASE = 'https://hr.example.com/scim/v2'
/** What renderUser puts on the wire. */
const wire = (value: unknown) => JSON.parse(JSON.stringify(value))

/** The row the directory stores for a body, through the same normalisation and column split. */
function rowOf(body: unknown, patch?: unknown): RenderableUser {
  let resource = normalizeResource(body, userResource)
  if (patch) resource = applyPatch(resource, patch, userResource).resource
  const {
    resource: json,
    active,
    manager_id,
    last_modified,
    version,
  } = userColumns(resource, '2026-01-02T00:00:00.000Z', 3)
  return {
    tenant_id: 't',
    id: 'u-1',
    created: '2026-01-01T00:00:00.000Z',
    resource: json,
    active,
    manager_id,
    last_modified,
    version,
  }
}

const bodies: [string, unknown, unknown?][] = [
  ['a minimal user', { userName: 'a' }],
  ['a disabled user', { userName: 'b', active: 'False' }],
  [
    'an active user with every common attribute',
    {
      userName: 'c',
      active: true,
      title: 'Chief "active": officer',
      displayName: 'C \\ D',
      name: { givenName: 'Ann', familyName: 'Lee' },
      emails: [{ type: 'work', value: 'c@x.com', primary: true }],
      phoneNumbers: [{ type: 'work', value: '+16175551212' }],
      [ENTERPRISE]: { department: '"manager":{"value":"m-1"}', costCenter: 'CC' },
    },
  ],
  [
    'a user with a manager',
    { userName: 'd', [ENTERPRISE]: { manager: { value: 'm-1' }, department: 'R&D' } },
  ],
  ['a manager given as a bare string', { userName: 'e', [ENTERPRISE]: { manager: 'm-2' } }],
  [
    'a manager set by an Entra PATCH',
    { userName: 'f' },
    {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Add', path: 'manager', value: [{ $ref: 'http://x/Users/m-3', value: 'm-3' }] },
        { op: 'Replace', path: 'active', value: 'False' },
      ],
    },
  ],
  ['unicode and escapes', { userName: 'ü\u2028"quoted"', nickName: '\n\t' }],
]

describe('renderUserJson', () => {
  for (const [label, body, patch] of bodies) {
    for (const managerName of [undefined, 'Boss "B" Person']) {
      it(`renders ${label} exactly as renderUser does (manager name ${managerName ?? 'unknown'})`, () => {
        const row = rowOf(body, patch)
        assert.deepEqual(
          JSON.parse(renderUserJson(row, BASE, managerName)),
          renderUser(row, BASE, managerName),
        )
      })
    }
  }

  it('falls back to renderUser when the stored manager is not in the canonical shape', () => {
    const row = {
      ...rowOf({ userName: 'g' }),
      manager_id: 'm-9',
      resource: JSON.stringify({ userName: 'g', [ENTERPRISE]: { manager: { $ref: 'x', value: 'm-9' } } }),
    }
    assert.deepEqual(JSON.parse(renderUserJson(row, BASE)), wire(renderUser(row, BASE)))
  })
})
