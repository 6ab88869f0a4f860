import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { Filter } from '../../../src/scim/filter/ast.js'
import { parseFilter } from '../../../src/scim/filter/parse-filter.js'
import { insertAuditEvent, listAuditEvents } from '../../../src/store/audit-repository.js'
import { postgresSql } from '../../../src/store/dialects/postgres-sql.js'
import { sqlDialectOf } from '../../../src/store/dialects/sql-dialect-of.js'
import { isUniqueViolation } from '../../../src/store/errors.js'
import { KNOWN_MIGRATIONS, migrateToLatest } from '../../../src/store/migrate.js'
import { compileUserFilter } from '../../../src/store/user-filter-sql.js'
import { keyLookupOf, runKeyLookup } from '../../../src/store/user-key-lookup.js'
import { queryUsers } from '../../../src/store/user-query.js'
import { findUserById, insertUser, updateUser } from '../../../src/store/users-repository.js'
import { TEST_DATABASES } from '../../support/databases.js'
import { userRow } from '../fixtures.js'
import { type OpenedStore, openSeededDatabase } from './open.js'
import { seedUsers } from './seed.js'

function parse(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(`test filter does not parse: ${text}`)
  return parsed.value
}

/** JS toLowerCase() writes the *_lower columns; these are where a naive SQL lower() disagrees. */
const FOLD_SAMPLES = [
  'ÉMILE',
  'İ',
  'İSTANBUL',
  'ß',
  'ẞ',
  'STRASSE',
  'ΟΔΟΣ',
  'ΟΔΟΣ ΟΔΟΣ.',
  'Σ',
  'ǅ',
  'ᾼ',
  'K', // KELVIN SIGN
  'Ω', // OHM SIGN
  'ÅSA.ÖBERG',
  'İ̇',
  'ABC_%',
  '',
]

describe('PostgreSQL store', { skip: !TEST_DATABASES.includes('postgres') }, () => {
  let store: OpenedStore

  before(async () => {
    store = await openSeededDatabase('postgres')
  })
  after(() => store?.close())

  async function ids(filter: string, tenant = 't1'): Promise<string[]> {
    const { rows } = await queryUsers(
      store.db,
      tenant,
      { filter: parse(filter), startIndex: 1, count: 100 },
      postgresSql,
    )
    return rows.map((row) => row.id).sort()
  }

  it('applies every migration, once', async () => {
    assert.deepEqual(store.applied, [...KNOWN_MIGRATIONS])
    assert.deepEqual(await migrateToLatest(store.db), [])
  })

  it('is recognised as PostgreSQL, in transactions too', async () => {
    assert.equal(sqlDialectOf(store.db), postgresSql)
    assert.equal(await store.db.transaction().execute(async (trx) => sqlDialectOf(trx)), postgresSql)
  })

  it('gives every text column the byte-order "C" collation', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; collation_name: string | null }>`
      select table_name, column_name, collation_name from information_schema.columns
      where table_schema = 'public' and data_type = 'text' and table_name not like 'kysely%'`.execute(
      store.db,
    )
    assert.ok(rows.length >= 40, `only ${rows.length} text columns`)
    assert.deepEqual(
      rows.filter((row) => row.collation_name !== 'C').map((row) => `${row.table_name}.${row.column_name}`),
      [],
    )
  })

  it('numbers audit events with an identity column, read back as numbers', async () => {
    const event = {
      tenant_id: 't3',
      at: '2024-01-01T00:00:00.000Z',
      token_id: null,
      request_id: null,
      operation: 'create',
      resource_type: 'User',
      resource_id: 'x',
      changes: '[]',
    }
    await insertAuditEvent(store.db, event)
    await insertAuditEvent(store.db, { ...event, operation: 'delete' })
    const events = await listAuditEvents(store.db, 't3', { limit: 10 })
    assert.deepEqual(
      events.map((row) => row.operation),
      ['delete', 'create'],
    )
    const [newer, older] = events.map((row) => row.seq)
    assert.equal(typeof newer, 'number')
    assert.ok((newer as number) > (older as number))
    await assert.rejects(
      sql`insert into audit_events (seq, tenant_id, at, operation, resource_type, resource_id, changes)
          values (1, 't3', '', 'create', 'User', 'x', '[]')`.execute(store.db),
      /non-DEFAULT value/,
    )
  })

  it('reads resource back as the exact text written, and counts and versions as numbers', async () => {
    const seed = seedUsers.find((user) => user.id === 'u13')
    assert.ok(seed)
    const row = await findUserById(store.db, 't1', 'u13')
    assert.ok(row)
    assert.equal(row.resource, userRow('t1', seed).resource)
    assert.equal(row.version, 1)
    assert.equal(row.active, 1)
    const { total } = await store.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('total'))
      .where('tenant_id', '=', 't1')
      .executeTakeFirstOrThrow()
    assert.equal(total, seedUsers.length)
    const { rows } = await sql<{ json: unknown }>`select '{"b": 1, "a": [true]}'::jsonb as json`.execute(
      store.db,
    )
    assert.equal(rows[0]?.json, '{"a": [true], "b": 1}')
  })

  it('updates a row only at the expected version', async () => {
    const row = await findUserById(store.db, 't2', 'u07')
    assert.ok(row)
    assert.equal(
      await updateUser(store.db, 't2', 'u07', row.version, { title: 'Chef', version: row.version + 1 }),
      true,
    )
    assert.equal(
      await updateUser(store.db, 't2', 'u07', row.version, { title: 'Lost', version: row.version + 1 }),
      false,
    )
    assert.equal((await findUserById(store.db, 't2', 'u07'))?.title, 'Chef')
  })

  it('folds text exactly as JS toLowerCase() does', async () => {
    const { rows } = await sql<{ input: string; folded: string }>`
      select input, ${postgresSql.fold(sql.ref('input'))} as folded
      from unnest(cast(${FOLD_SAMPLES} as text[])) as samples(input)`.execute(store.db)
    assert.equal(rows.length, FOLD_SAMPLES.length)
    for (const row of rows) assert.equal(row.folded, row.input.toLowerCase(), `fold(${row.input})`)
    // A bare parameter folds too (values of a filter reach fold as parameters).
    const { rows: parameter } = await sql<{
      folded: string
    }>`select ${postgresSql.fold(sql.val('İSTANBUL'))} as folded`.execute(store.db)
    assert.equal(parameter[0]?.folded, 'İSTANBUL'.toLowerCase())
  })

  it('matches non-ASCII case-insensitively, in columns and in the JSON', async () => {
    assert.deepEqual(await ids('userName eq "i̇stanbul"'), ['u14'])
    assert.deepEqual(await ids('userName eq "İSTANBUL"'), ['u14'])
    assert.deepEqual(await ids('userName eq "istanbul"'), [])
    assert.deepEqual(await ids('title eq "émile"'), ['u13'])
    assert.deepEqual(await ids('name.familyName eq "groß"'), ['u13'])
    assert.deepEqual(await ids('name.familyName eq "οδος"'), ['u14'])
    assert.deepEqual(await ids('name.familyName eq "οδοσ"'), [])
    // Alone, 'Σ' is not word-final: JS (and ICU) lower-case it to 'σ'.
    assert.deepEqual(await ids('nickName eq "σ"'), ['u14'])
    assert.deepEqual(await ids('nickName eq "ς"'), [])
    assert.deepEqual(await ids('department eq "STRASSE"'), [])
    assert.deepEqual(await ids('emails[type eq "work" and value sw "EMILE@"]'), ['u13'])
  })

  it('treats % and _ literally in co, sw and ew', async () => {
    assert.deepEqual(await ids('userName co "%"'), ['u04'])
    assert.deepEqual(await ids('userName co "_"'), ['u05'])
    assert.deepEqual(await ids('userName sw "under_"'), ['u05'])
    assert.deepEqual(await ids('userName sw "under%"'), [])
    assert.deepEqual(await ids('userName ew "%USER"'), ['u04'])
    assert.deepEqual(await ids('userName ew "_user"'), [])
    assert.deepEqual(await ids('name.familyName co "_"'), [])
    assert.deepEqual(await ids('title ew ""'), [
      'u01',
      'u02',
      'u03',
      'u05',
      'u06',
      'u08',
      'u12',
      'u13',
      'u14',
      'u15',
    ])
  })

  it('reports a duplicate userName as a unique violation', async () => {
    const seed = seedUsers.find((user) => user.id === 'u01')
    assert.ok(seed)
    const twin = { ...userRow('t1', { ...seed, id: 'u99' }) }
    twin.user_name = twin.user_name.toUpperCase()
    await assert.rejects(insertUser(store.db, twin), (error) => isUniqueViolation(error))
  })

  it('answers the prepared key lookups as the general filter compiler does', async () => {
    const filters = [
      'userName eq "BJENSEN@example.com"',
      'userName eq "İSTANBUL"',
      'userName eq "nobody"',
      'externalId eq "EXT-bjensen"',
      'externalId eq "ext-bjensen"',
      'id eq "u07"',
      'emails[type eq "work"].value eq "JOHN.SMITH@example.com"',
      'emails[type eq "work" and value eq "emile@example.FR"]',
    ]
    for (const text of filters) {
      const filter = parse(text)
      const lookup = keyLookupOf(filter)
      assert.ok(lookup, text)
      const viaLookup = (await runKeyLookup(store.db, 't1', lookup, 10)).map((row) => row.id)
      const compiled = await store.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', 't1')
        .where(compileUserFilter(filter, postgresSql))
        .orderBy('created')
        .orderBy('id')
        .execute()
      assert.deepEqual(
        viaLookup,
        compiled.map((row) => row.id),
        text,
      )
      // queryUsers takes the fast path for these (first page, no sortBy).
      assert.deepEqual(await ids(text), [...viaLookup].sort(), text)
    }
    assert.deepEqual(await ids('userName eq "BJENSEN@example.com"'), ['u01'])
  })

  it('joins the manager into single-user reads', async () => {
    const [row] = await runKeyLookup(store.db, 't1', { column: 'id', value: 'u13' }, 1)
    assert.equal(row?.manager_id, 'u14')
    assert.equal(row?.manager_user_name, 'İSTANBUL')
  })

  it('pages and counts a filtered, sorted list', async () => {
    const query = { filter: parse('title pr'), sortBy: { name: 'title' }, startIndex: 2, count: 3 }
    const { totalResults, rows } = await queryUsers(store.db, 't1', query, postgresSql)
    assert.equal(totalResults, 9)
    assert.equal(typeof totalResults, 'number')
    // Folded, in byte order: "a", "b", "captain", "director", …, "émile" last.
    assert.deepEqual(
      rows.map((row) => row.id),
      ['u15', 'u06', 'u03'],
    )
  })
})
