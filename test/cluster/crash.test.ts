/**
 * Durability under a crash: while 16 clients POST users, the server is killed with SIGKILL (no
 * drain, no pool close, no checkpoint), then restarted on the same database. Every user whose POST
 * was answered 201 must be there. A 201 is sent only after the write unit's COMMIT (SQLite batch or
 * PostgreSQL transaction), so a lost user means an acknowledged write was not durable.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js'
import type { ScimClient } from '../support/server.js'
import { type RosterNode, seedTenant, startRosterNode } from './roster-node.js'

const IN_FLIGHT = 16
const LOAD_MS = 1500
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

/** Runs `task` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++] as T)
    }),
  )
}

for (const database of TEST_DATABASES) {
  describe(`SIGKILL during a load of POSTs loses no acknowledged user [${database}]`, () => {
    let created: TestDatabase
    let token: string
    let node: RosterNode | undefined

    before(async () => {
      created = await createTestDatabase(database)
      token = await seedTenant(created.url, 'crash')
    })
    after(async () => {
      await node?.kill()
      await created?.drop()
    })

    it('every user answered 201 before the kill is present after the restart', async (t) => {
      node = await startRosterNode(created.url)
      const scim = node.scim(token)
      const acknowledged: { id: string; userName: string }[] = []
      let attempted = 0
      let failed = 0
      let killed = false

      // Each worker POSTs until the server is gone; a request cut by the kill is simply unacknowledged.
      const worker = async (w: number, client: ScimClient) => {
        for (let i = 0; !killed; i++) {
          const userName = `crash.${w}.${i}@crash.test`
          attempted++
          try {
            const response = await client('POST', '/Users', { schemas: [USER], userName })
            if (response.status === 201) acknowledged.push({ id: response.body.id, userName })
            else failed++
          } catch {
            failed++
            if (killed) return
          }
        }
      }
      const workers = Array.from({ length: IN_FLIGHT }, (_, w) => worker(w, scim))
      await sleep(LOAD_MS)
      assert.ok(acknowledged.length > 0, `no POST succeeded before the kill:\n${node.output()}`)
      await node.kill()
      killed = true
      await Promise.all(workers)

      node = await startRosterNode(created.url)
      const after = node.scim(token)
      const missingById: string[] = []
      const missingByFilter: string[] = []
      await eachLimited(acknowledged, IN_FLIGHT, async ({ id, userName }) => {
        const byId = await after('GET', `/Users/${id}`)
        if (byId.status !== 200 || byId.body.userName !== userName) missingById.push(`${id} (${byId.status})`)
        const filtered = await after(
          'GET',
          `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        )
        if (filtered.status !== 200 || filtered.body.Resources?.[0]?.id !== id) missingByFilter.push(userName)
      })
      const stored = await after('GET', '/Users?count=0')
      assert.equal(stored.status, 200, stored.text)

      const present = acknowledged.length - missingById.length
      t.diagnostic(
        `${database}: ${attempted} POSTs sent, ${acknowledged.length} acknowledged (201), ${present} of them present after restart; ${stored.body.totalResults} users stored in all; ${failed} cut or failed`,
      )
      assert.deepEqual(missingById, [], 'acknowledged users missing by id')
      assert.deepEqual(missingByFilter, [], 'acknowledged users the filter does not find')
      // Unacknowledged POSTs may or may not have committed; acknowledged ones all did.
      assert.ok(stored.body.totalResults >= acknowledged.length)
    })
  })
}
