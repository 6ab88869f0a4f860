import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { parseFilter } from '../../src/scim/filter/parse-filter.js'
import { compileUserFilter } from '../../src/store/user-filter-sql.js'
import { keyLookupOf, runKeyLookup } from '../../src/store/user-key-lookup.js'
import { TEST_DATABASES } from '../support/databases.js'
import { openSeededStore, sampleUsers, type TestStore } from './fixtures.js'

const parse = (text: string) => {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

/** Every value of every key the sample users have, in other cases too, plus misses. */
function lookupFilters(): string[] {
  const filters: string[] = ['userName eq "nobody"', 'id eq "U01"', 'externalId eq "ext-bjensen"']
  for (const { id, resource } of sampleUsers) {
    const userName = String(resource.userName)
    filters.push(`id eq "${id}"`, `userName eq "${userName}"`, `USERNAME eq "${userName.toUpperCase()}"`)
    filters.push(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "${userName}"`)
    // A userName matches as a work email only when the user's work email is that address.
    filters.push(`emails[type eq "work"].value eq "${userName}"`)
    if (typeof resource.externalId === 'string') filters.push(`externalId eq "${resource.externalId}"`)
    for (const email of (resource.emails ?? []) as { value?: string }[]) {
      if (!email.value) continue
      filters.push(`emails[type eq "work"].value eq "${email.value.toUpperCase()}"`)
      filters.push(`emails[Type eq "Work" and value eq "${email.value}"]`)
    }
  }
  return filters
}

for (const database of TEST_DATABASES) {
  describe(`key lookups (the prepared fast path for matching filters) [${database}]`, () => {
    let store: TestStore
    before(async () => {
      store = await openSeededStore(database)
    })
    after(() => store.close())

    it('recognises only plain equalities on the key attributes', () => {
      for (const text of [
        'userName eq "a"',
        'externalId eq "a"',
        'id eq "a"',
        'emails[type eq "work"].value eq "a"',
      ]) {
        assert.ok(keyLookupOf(parse(text)), text)
      }
      for (const text of [
        'userName ne "a"',
        'userName eq 5',
        'userName eq "a" and active eq true',
        'name.givenName eq "a"',
        'emails.value eq "a"',
        'emails[type eq "home"].value eq "a"',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "a"',
      ]) {
        assert.equal(keyLookupOf(parse(text)), undefined, text)
      }
    })

    it('finds exactly the users the general filter compiler finds, in the same order', async () => {
      const filters = lookupFilters()
      assert.ok(filters.length > 40)
      for (const text of filters) {
        const filter = parse(text)
        const lookup = keyLookupOf(filter)
        assert.ok(lookup, text)
        const fast = await runKeyLookup(store.db, 't1', lookup, 100)
        const general = await store.db
          .selectFrom('users')
          .select('id')
          .where('tenant_id', '=', 't1')
          .where(compileUserFilter(filter, store.dialect))
          .orderBy(sql.ref('created'))
          .orderBy(sql.ref('id'))
          .execute()
        assert.deepEqual(
          fast.map((row) => row.id),
          general.map((row) => row.id),
          text,
        )
        assert.ok(
          fast.every((row) => row.tenant_id === 't1'),
          text,
        )
      }
    })
  })
}
