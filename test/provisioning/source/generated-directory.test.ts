import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { generateDirectory } from '../../../src/provisioning/source/generated-directory.js'
import { validateSnapshot } from '../../../src/provisioning/source/validate-snapshot.js'

describe('generateDirectory', () => {
  it('is deterministic: the same options give the same directory, another seed another one', () => {
    const a = generateDirectory({ users: 400, groups: 30, seed: 11 })
    assert.deepEqual(generateDirectory({ users: 400, groups: 30, seed: 11 }), a)
    const b = generateDirectory({ users: 400, groups: 30, seed: 12 })
    assert.notEqual(b.users[0]!.id, a.users[0]!.id)
  })

  it('makes 10,000 users and 100 groups quickly, all valid', () => {
    const started = performance.now()
    const snapshot = generateDirectory({ users: 10_000, groups: 100, seed: 1 })
    const elapsed = performance.now() - started
    assert.equal(snapshot.users.length, 10_000)
    assert.equal(snapshot.groups.length, 100)
    // ~0.1 s on an idle machine; the bound leaves room for a busy one.
    assert.ok(elapsed < 2_000, `${Math.round(elapsed)} ms`)
    assert.deepEqual(validateSnapshot(snapshot).issues, [])
  })

  it('fills the group count with teams, then projects, when asked for more groups than teams', () => {
    const snapshot = generateDirectory({ users: 50, groups: 40, seed: 3 })
    assert.equal(snapshot.groups.length, 40)
    assert.deepEqual(validateSnapshot(snapshot).issues, [])
    assert.ok(snapshot.groups.some((group) => group.displayName.startsWith('Team ')))
    assert.ok(snapshot.groups.some((group) => group.displayName.startsWith('Project ')))
  })

  it('handles tiny directories and group counts below the built-in groups', () => {
    for (const [users, groups] of [
      [0, 0],
      [1, 0],
      [3, 2],
      [8, 3],
    ] as const) {
      const snapshot = generateDirectory({ users, groups, seed: 5 })
      assert.equal(snapshot.users.length, users)
      assert.equal(snapshot.groups.length, groups)
      assert.deepEqual(validateSnapshot(snapshot).issues, [], `${users} users, ${groups} groups`)
    }
    // With two groups, "Managers" exists but "Engineering Managers" does not, so it is not a member.
    const two = generateDirectory({ users: 30, groups: 2, seed: 5 })
    assert.deepEqual(
      two.groups.map((group) => group.displayName),
      ['All staff', 'Managers'],
    )
  })

  it('gives unique, ASCII userPrincipalNames even for repeated and Swedish names', () => {
    const { users } = generateDirectory({ users: 5_000, groups: 0, seed: 9 })
    const names = users.map((user) => String(user.attributes.userPrincipalName))
    assert.equal(new Set(names).size, names.length)
    for (const name of names) assert.match(name, /^[a-z0-9]+\.[a-z0-9]+@auroralabs\.example$/)
    assert.ok(users.some((user) => /[åäöé]/i.test(String(user.attributes.displayName))))
  })

  it('only makes phone numbers the numbering plans accept', () => {
    const { users } = generateDirectory({ users: 1_000, groups: 0, seed: 4 })
    for (const user of users) {
      for (const name of ['telephoneNumber', 'mobile']) {
        const value = user.attributes[name]
        if (value === undefined) continue
        assert.ok(parsePhoneNumberFromString(String(value))?.isValid(), `${name} ${String(value)}`)
      }
    }
  })

  it('rejects counts that are not non-negative integers', () => {
    assert.throws(() => generateDirectory({ users: -1, groups: 0, seed: 1 }), TypeError)
    assert.throws(() => generateDirectory({ users: 1, groups: 1.5, seed: 1 }), TypeError)
  })
})
