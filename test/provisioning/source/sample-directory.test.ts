import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { sampleDirectoryJson } from '../../../samples/generate-directory.js'
import { scopeByAssignment } from '../../../src/provisioning/source/assignment.js'
import { DirectoryFileConnector } from '../../../src/provisioning/source/directory-file.js'

const path = fileURLToPath(new URL('../../../samples/directory.json', import.meta.url))

describe('samples/directory.json', () => {
  it('is exactly what samples/generate-directory.ts writes', async () => {
    assert.equal(await readFile(path, 'utf8'), sampleDirectoryJson())
  })

  it('loads through the directory-file connector without errors or warnings', async () => {
    const snapshot = await new DirectoryFileConnector(path).readSnapshot()
    assert.equal(snapshot.users.length, 300)
    assert.equal(snapshot.groups.length, 16)
    assert.equal(snapshot.warnings, undefined)
  })

  it('is a plausible company: one CEO, six departments, a chain of managers 4–5 deep, a few disabled', async () => {
    const { users } = await new DirectoryFileConnector(path).readSnapshot()
    const byId = new Map(users.map((user) => [user.id, user]))
    const depth = (id: string): number => {
      const manager = byId.get(id)!.attributes.manager
      return typeof manager === 'string' ? 1 + depth(manager) : 0
    }
    const tops = users.filter((user) => user.attributes.manager === undefined)
    assert.deepEqual(
      tops.map((user) => user.attributes.jobTitle),
      ['Chief Executive Officer'],
    )
    assert.ok([4, 5].includes(Math.max(...users.map((user) => depth(user.id)))))
    assert.deepEqual([...new Set(users.map((user) => user.attributes.department))].sort(), [
      'Engineering',
      'Executive',
      'Finance',
      'Marketing',
      'People',
      'Sales',
      'Support',
    ])
    const disabled = users.filter((user) => user.attributes.accountEnabled === false).length
    assert.ok(disabled >= 2 && disabled <= 15, `${disabled} disabled`)
    for (const user of users) {
      for (const name of [
        'userPrincipalName',
        'mail',
        'givenName',
        'surname',
        'displayName',
        'jobTitle',
        'telephoneNumber',
        'companyName',
        'costCenter',
        'division',
        'employeeId',
      ]) {
        assert.equal(typeof user.attributes[name], 'string', `${user.id} ${name}`)
      }
    }
  })

  it('has only valid E.164 numbers (+1 and +46), as the HR app checks them against the numbering plan', async () => {
    const { users } = await new DirectoryFileConnector(path).readSnapshot()
    const countries = new Set<string>()
    for (const user of users) {
      for (const name of ['telephoneNumber', 'mobile']) {
        const value = user.attributes[name]
        if (value === undefined) continue
        assert.match(String(value), /^\+[1-9]\d{1,14}$/)
        const parsed = parsePhoneNumberFromString(String(value))
        assert.ok(parsed?.isValid() === true, `${user.id} ${name} ${String(value)}`)
        countries.add(parsed.countryCallingCode)
      }
    }
    assert.deepEqual([...countries].sort(), ['1', '46'])
  })

  it('nests "Engineering Managers" in "Managers", so assigning Managers brings in every manager', async () => {
    const snapshot = await new DirectoryFileConnector(path).readSnapshot()
    const named = (displayName: string) => snapshot.groups.find((group) => group.displayName === displayName)!
    assert.ok(named('Managers').members.includes(named('Engineering Managers').id))
    const managers = new Set(
      snapshot.users.flatMap((user) =>
        typeof user.attributes.manager === 'string' ? [user.attributes.manager] : [],
      ),
    )
    const scope = scopeByAssignment(snapshot, { mode: 'assigned', groupIds: [named('Managers').id] })
    assert.deepEqual([...scope.users].sort(), [...managers].sort())
    assert.equal(named('All staff').members.length, 300)
  })
})
