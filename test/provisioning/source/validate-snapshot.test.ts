import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SourceSnapshot } from '../../../src/provisioning/source/connector.js'
import { formatSourceIssue } from '../../../src/provisioning/source/source-error.js'
import { validateSnapshot } from '../../../src/provisioning/source/validate-snapshot.js'

const user = (id: string, attributes: Record<string, string | boolean | null> = {}) => ({ id, attributes })
const group = (id: string, members: string[]) => ({
  id,
  displayName: id.toUpperCase(),
  attributes: {},
  members,
})
const messages = (snapshot: SourceSnapshot) => validateSnapshot(snapshot).issues.map(formatSourceIssue)

describe('validateSnapshot', () => {
  it('accepts a consistent snapshot unchanged', () => {
    const snapshot = {
      users: [user('u1'), user('u2', { manager: 'u1', userPrincipalName: 'b@x.example' })],
      groups: [group('g1', ['u1', 'g2']), group('g2', ['u2', 'g1'])],
    }
    const result = validateSnapshot(snapshot)
    assert.deepEqual(result.issues, [])
    assert.deepEqual(result.snapshot, snapshot)
  })

  it('looks up locations only to report an issue (they may cost a scan of the file)', () => {
    const locate = () => assert.fail('located a valid object')
    const snapshot = { users: [user('u1'), user('u2', { manager: 'u1' })], groups: [group('g1', ['u1'])] }
    assert.deepEqual(validateSnapshot(snapshot, { locate }).issues, [])
  })

  it('rejects ids used twice, across users and groups too, and empty ids', () => {
    assert.deepEqual(messages({ users: [user('a'), user('a'), user(' ')], groups: [group('a', [])] }), [
      'users[1] (id "a"), field id: id "a" is already used by users[0]',
      'users[2] (id " "), field id: every object needs a non-empty id',
      'groups[0] (id "a"), field id: id "a" is already used by users[0]',
    ])
  })

  it('rejects a userPrincipalName used twice, ignoring case', () => {
    assert.deepEqual(
      messages({
        users: [
          user('a', { userPrincipalName: 'Ann@x.example' }),
          user('b', { userPrincipalName: 'ann@X.example' }),
        ],
        groups: [],
      }),
      ['users[1] (id "b"), field userPrincipalName: "ann@X.example" is already used by users[0] (id "a")'],
    )
  })

  it('rejects well-known attributes of the wrong type', () => {
    assert.deepEqual(messages({ users: [user('a', { accountEnabled: 'yes', manager: true })], groups: [] }), [
      'users[0] (id "a"), field manager: must be a string',
      'users[0] (id "a"), field accountEnabled: must be a boolean',
    ])
  })

  it('resolves a manager given by userPrincipalName to the manager id', () => {
    const result = validateSnapshot({
      users: [user('a', { userPrincipalName: 'Boss@x.example' }), user('b', { manager: 'boss@x.example' })],
      groups: [],
    })
    assert.deepEqual(result.issues, [])
    assert.equal(result.snapshot.users[1]!.attributes.manager, 'a')
  })

  it('warns about an unknown manager (or a group as manager) and clears it', () => {
    const result = validateSnapshot({
      users: [user('a', { manager: 'zed' }), user('b', { manager: 'g' })],
      groups: [group('g', [])],
    })
    assert.deepEqual(
      result.issues.map((issue) => [issue.severity, issue.code, formatSourceIssue(issue)]),
      [
        [
          'warning',
          'unknown-manager',
          'users[0] (id "a"), field manager: no user has id or userPrincipalName "zed"; provisioned without a manager',
        ],
        [
          'warning',
          'unknown-manager',
          'users[1] (id "b"), field manager: "g" is a group, not a user; provisioned without a manager',
        ],
      ],
    )
    assert.deepEqual(
      result.snapshot.users.map((u) => u.attributes.manager),
      [null, null],
    )
    assert.equal(result.snapshot.warnings?.length, 2)
  })

  it('reports each manager cycle once, including someone managing themselves', () => {
    const snapshot = {
      users: [
        user('top'),
        user('a', { manager: 'c' }),
        user('b', { manager: 'a' }),
        user('c', { manager: 'b' }),
        user('d', { manager: 'a' }),
        user('self', { manager: 'self' }),
        user('e', { manager: 'top' }),
      ],
      groups: [],
    }
    assert.deepEqual(
      validateSnapshot(snapshot).issues.map((issue) => [issue.code, issue.object, issue.message]),
      [
        [
          'manager-cycle',
          'users[1] (id "a")',
          'the manager chain is a cycle (a → c → b → a); someone in it must report to a manager outside it',
        ],
        [
          'manager-cycle',
          'users[5] (id "self")',
          'the manager chain is a cycle (self → self); someone in it must report to a manager outside it',
        ],
      ],
    )
  })

  it('finds a cycle reached from outside it, reporting it at its first member', () => {
    const snapshot = {
      users: [user('x', { manager: 'a' }), user('a', { manager: 'b' }), user('b', { manager: 'a' })],
      groups: [],
    }
    assert.deepEqual(
      validateSnapshot(snapshot).issues.map((issue) => issue.object),
      ['users[1] (id "a")'],
    )
  })

  it('rejects unknown members, and drops duplicate members with a warning', () => {
    const result = validateSnapshot({ users: [user('u1')], groups: [group('g1', ['u1', 'ghost', 'u1'])] })
    assert.deepEqual(
      result.issues.map((issue) => [issue.severity, formatSourceIssue(issue)]),
      [
        ['error', 'groups[0] (id "g1"), field members: no user or group has id "ghost"'],
        ['warning', 'groups[0] (id "g1"), field members: "u1" is listed twice'],
      ],
    )
    assert.deepEqual(result.snapshot.groups[0]!.members, ['u1', 'ghost'])
  })

  it('keeps the watermark and earlier warnings, and uses the locations given', () => {
    const earlier = { severity: 'warning', code: 'invalid-value', message: 'earlier' } as const
    const result = validateSnapshot(
      { users: [user('a', { manager: 'zed' })], groups: [], watermark: 'w1', warnings: [earlier] },
      {
        file: 'f.csv',
        locate: (_type, index) => ({ object: `row ${index + 1}`, line: index + 2 }),
        managerField: 'boss',
      },
    )
    assert.equal(result.snapshot.watermark, 'w1')
    assert.deepEqual(result.snapshot.warnings?.map(formatSourceIssue), [
      'earlier',
      'f.csv:2: row 1 (id "a"), field boss: no user has id or userPrincipalName "zed"; provisioned without a manager',
    ])
  })
})
