import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SourceGroup, SourceSnapshot, SourceUser } from '../../../src/provisioning/source/connector.js'
import { generateDirectory } from '../../../src/provisioning/source/generated-directory.js'
import {
  diffHashes,
  diffSnapshots,
  hashGroup,
  hashSnapshot,
  hashUser,
} from '../../../src/provisioning/source/snapshot-diff.js'

const ann: SourceUser = {
  id: 'u1',
  attributes: { givenName: 'Ann', mail: 'ann@x.example', accountEnabled: true },
}
const bo: SourceUser = {
  id: 'u2',
  attributes: { givenName: 'Bo', manager: 'u1', proxyAddresses: ['a', 'b'] },
}
const staff: SourceGroup = {
  id: 'g1',
  displayName: 'Staff',
  attributes: { description: 'All' },
  members: ['u1', 'u2'],
}
const before: SourceSnapshot = { users: [ann, bo], groups: [staff] }

describe('diffSnapshots', () => {
  it('finds nothing between identical snapshots, or ones that differ only in order and nulls', () => {
    assert.deepEqual(diffSnapshots(before, before), [])
    const reordered: SourceSnapshot = {
      users: [{ ...bo, attributes: { ...bo.attributes, jobTitle: null } }, ann],
      groups: [{ ...staff, members: ['u2', 'u1'] }],
    }
    assert.deepEqual(diffSnapshots(before, reordered), [])
  })

  it('reports an added user with every attribute that has a value', () => {
    const cy: SourceUser = { id: 'u3', attributes: { givenName: 'Cy', jobTitle: null } }
    assert.deepEqual(diffSnapshots(before, { ...before, users: [...before.users, cy] }), [
      {
        kind: 'upsert',
        objectType: 'user',
        object: cy,
        delta: { added: true, attributes: ['givenName'], softDeletedChanged: false },
      },
    ])
  })

  it('reports only the attributes that changed, appeared or disappeared', () => {
    const changed: SourceUser = {
      id: 'u2',
      attributes: { givenName: 'Bo', manager: 'u3', proxyAddresses: ['b', 'a'], jobTitle: 'CFO' },
    }
    assert.deepEqual(diffSnapshots(before, { ...before, users: [ann, changed] }), [
      {
        kind: 'upsert',
        objectType: 'user',
        object: changed,
        delta: {
          added: false,
          attributes: ['jobTitle', 'manager', 'proxyAddresses'],
          softDeletedChanged: false,
        },
      },
    ])
    const cleared: SourceUser = {
      id: 'u1',
      attributes: { givenName: 'Ann', mail: null, accountEnabled: false },
    }
    assert.deepEqual(diffSnapshots(before, { ...before, users: [cleared, bo] })[0], {
      kind: 'upsert',
      objectType: 'user',
      object: cleared,
      delta: { added: false, attributes: ['accountEnabled', 'mail'], softDeletedChanged: false },
    })
  })

  it('reports a soft delete and a restore', () => {
    const recycled = { ...ann, softDeleted: true }
    assert.deepEqual(diffSnapshots(before, { ...before, users: [recycled, bo] }), [
      {
        kind: 'upsert',
        objectType: 'user',
        object: recycled,
        delta: { added: false, attributes: [], softDeletedChanged: true },
      },
    ])
    assert.equal(diffSnapshots({ ...before, users: [recycled, bo] }, before).length, 1)
  })

  it('reports group renames, attribute changes and membership changes', () => {
    const renamed: SourceGroup = { id: 'g1', displayName: 'Everyone', attributes: {}, members: ['u2', 'u3'] }
    assert.deepEqual(diffSnapshots(before, { ...before, groups: [renamed] }), [
      {
        kind: 'upsert',
        objectType: 'group',
        object: renamed,
        delta: {
          added: false,
          displayNameChanged: true,
          attributes: ['description'],
          membersAdded: ['u3'],
          membersRemoved: ['u1'],
        },
      },
    ])
  })

  it('reports an added group with all its members', () => {
    const leads: SourceGroup = { id: 'g0', displayName: 'Leads', attributes: {}, members: ['u1', 'g1'] }
    assert.deepEqual(diffSnapshots(before, { ...before, groups: [staff, leads] }), [
      {
        kind: 'upsert',
        objectType: 'group',
        object: leads,
        delta: {
          added: true,
          displayNameChanged: true,
          attributes: [],
          membersAdded: ['g1', 'u1'],
          membersRemoved: [],
        },
      },
    ])
  })

  it('orders changes: user upserts, group upserts, group deletes, user deletes, each by id', () => {
    const previous: SourceSnapshot = {
      users: [ann, bo, { id: 'u9', attributes: {} }, { id: 'u0', attributes: {} }],
      groups: [staff, { id: 'g8', displayName: 'Old', attributes: {}, members: [] }],
    }
    const current: SourceSnapshot = {
      users: [
        { id: 'u5', attributes: {} },
        { ...bo, attributes: {} },
        { id: 'u3', attributes: {} },
      ],
      groups: [
        { ...staff, members: [] },
        { id: 'g2', displayName: 'New', attributes: {}, members: [] },
      ],
    }
    assert.deepEqual(
      diffSnapshots(previous, current).map((change) =>
        change.kind === 'delete'
          ? `delete ${change.objectType} ${change.id}`
          : `upsert ${change.objectType} ${change.object.id}`,
      ),
      [
        'upsert user u2',
        'upsert user u3',
        'upsert user u5',
        'upsert group g1',
        'upsert group g2',
        'delete group g8',
        'delete user u0',
        'delete user u1',
        'delete user u9',
      ],
    )
  })
})

describe('content hashes', () => {
  it('are stable: the same for equal content, whatever the key, member order or nulls', () => {
    assert.equal(
      hashUser(ann),
      hashUser({
        id: 'u1',
        attributes: { accountEnabled: true, mail: 'ann@x.example', givenName: 'Ann', title: null },
      }),
    )
    assert.equal(hashGroup(staff), hashGroup({ ...staff, members: ['u2', 'u1', 'u2'] }))
    assert.match(hashUser(ann), /^[A-Za-z0-9_-]{22}$/)
    // Pinned: a change of canonical form must be deliberate (it makes every object look changed once).
    assert.equal(hashUser({ id: 'x', attributes: { a: 'b' } }), hashUser({ id: 'y', attributes: { a: 'b' } }))
    // sha256('["u1",false,[["a","b"]]]'), base64url, first 22 characters (checked with openssl).
    assert.equal(hashUser({ id: 'x', attributes: { a: 'b' } }), 'rCpQf2KqQPMT_KVeM__vdD')
  })

  it('change with any attribute, type, soft-delete state, name or member', () => {
    const variants = [
      hashUser(ann),
      hashUser({ ...ann, softDeleted: true }),
      hashUser({ ...ann, attributes: { ...ann.attributes, accountEnabled: 'true' } }),
      hashUser({ ...ann, attributes: { ...ann.attributes, mail: ['ann@x.example'] } }),
      hashUser({ ...ann, attributes: { ...ann.attributes, givenName: 'Anne' } }),
      hashGroup(staff),
      hashGroup({ ...staff, displayName: 'staff' }),
      hashGroup({ ...staff, members: ['u1'] }),
    ]
    assert.equal(new Set(variants).size, variants.length)
  })
})

describe('diffHashes', () => {
  it('finds the same objects as diffSnapshots, and returns the hashes for the next cycle', () => {
    const previous = generateDirectory({ users: 500, groups: 20, seed: 7 })
    const users = previous.users.map((user, index) =>
      index % 50 === 0 ? { ...user, attributes: { ...user.attributes, jobTitle: 'Promoted' } } : user,
    )
    const current: SourceSnapshot = {
      users: [...users.slice(0, 400), { id: 'new', attributes: { givenName: 'New' } }],
      groups: previous.groups.slice(1),
    }
    const full = diffSnapshots(previous, current)
    const { changes, hashes } = diffHashes(hashSnapshot(previous), current)
    const key = (change: (typeof full)[number]) =>
      change.kind === 'delete'
        ? `- ${change.objectType} ${change.id}`
        : `+ ${change.objectType} ${change.object.id}`
    assert.deepEqual(changes.map(key), full.map(key))
    assert.ok(changes.length > 100)
    const added = changes.find((change) => change.kind === 'upsert' && change.object.id === 'new')
    assert.deepEqual(added?.kind === 'upsert' && added.delta, {
      added: true,
      attributes: ['givenName'],
      softDeletedChanged: false,
    })
    const changed = changes.find((change) => change.kind === 'upsert' && change.object.id === users[50]!.id)
    assert.equal(changed?.kind === 'upsert' ? changed.delta : 'missing', undefined)
    assert.deepEqual(hashes, hashSnapshot(current))
    assert.deepEqual(diffHashes(hashes, current).changes, [])
  })
})
