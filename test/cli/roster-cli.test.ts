import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { hashTokenSecret } from '../../src/access/token-secret.js'
import { hashSecret } from '../../src/console/secrets.js'

const run = promisify(execFile)

describe('roster CLI', () => {
  let dir: string
  let database: string
  const roster = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: database,
        LOG_LEVEL: 'silent',
        PUBLIC_URL: '',
        HOST: '',
        PORT: '',
      },
    })
    return stdout
  }
  const rosterFails = async (...args: string[]) => {
    try {
      await roster(...args)
    } catch (error) {
      return error as { code: number; stderr: string }
    }
    throw new Error(`roster ${args.join(' ')} succeeded`)
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-cli-'))
    database = join(dir, 'nested', 'roster.db')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('creates a tenant (and the database file) and lists it as JSON', async () => {
    const created = JSON.parse(await roster('tenant', 'create', 'acme', '--name', 'Acme Corp', '--json'))
    assert.equal(created.slug, 'acme')
    assert.equal(created.rules, 'alexis')
    // The first owner's one-time setup link; the code travels in the fragment, stored only hashed.
    assert.match(created.setupUrl, /^http:\/\/127\.0\.0\.1:8080\/setup#[A-Za-z0-9_-]{43}$/)
    const code = created.setupUrl.split('#')[1]
    const db = new SQLite(database, { readonly: true })
    const links = db.prepare('select * from setup_links').all() as Record<string, unknown>[]
    db.close()
    assert.equal(links.length, 1)
    assert.equal(links[0]?.code_hash, hashSecret(code))
    assert.equal(links[0]?.role, 'owner')
    assert.ok(!JSON.stringify(links).includes(code))
    const listed = JSON.parse(await roster('tenant', 'list', '--json'))
    assert.deepEqual(
      listed.map((tenant: { slug: string; name: string }) => [tenant.slug, tenant.name]),
      [['acme', 'Acme Corp']],
    )
  })

  it('prints the setup link in text, and issues a new owner link with tenant setup-link', async () => {
    const text = await roster('tenant', 'create', 'initech', '--name', 'Initech')
    assert.match(text, /tenant initech created/)
    assert.match(text, /\/setup#[A-Za-z0-9_-]{43}/)
    const link = JSON.parse(await roster('tenant', 'setup-link', 'initech', '--json'))
    assert.equal(link.tenant, 'initech')
    assert.match(link.setupUrl, /\/setup#[A-Za-z0-9_-]{43}$/)
    assert.ok(!text.includes(link.setupUrl), 'a new code every time')
    const missing = await rosterFails('tenant', 'setup-link', 'nope')
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /no tenant "nope"/)
  })

  it('refuses a duplicate tenant and a bad rules value with a one-line message', async () => {
    const duplicate = await rosterFails('tenant', 'create', 'acme')
    assert.equal(duplicate.code, 2)
    assert.match(duplicate.stderr, /already exists/)
    const badRules = await rosterFails('tenant', 'create', 'other', '--rules', 'loose')
    assert.match(badRules.stderr, /rules must be one of alexis, rfc/)
  })

  it('prints a token once, stores only its SHA-256 hash, and never lists the secret', async () => {
    const issued = JSON.parse(
      await roster('token', 'create', '--tenant', 'acme', '--name', 'Entra ID', '--json'),
    )
    assert.match(issued.token, /^rst_[A-Za-z0-9_-]{43}$/)
    const db = new SQLite(database, { readonly: true })
    const row = db.prepare('select * from access_tokens where id = ?').get(issued.id) as Record<
      string,
      unknown
    >
    db.close()
    assert.equal(row.token_hash, hashTokenSecret(issued.token))
    assert.ok(!JSON.stringify(row).includes(issued.token.slice(4)), 'the secret is not stored')
    const listing = await roster('token', 'list', '--tenant', 'acme', '--json')
    assert.ok(!listing.includes(issued.token.slice(8)), 'the secret is not listed')
    const [listed] = JSON.parse(listing)
    assert.equal(listed.name, 'Entra ID')
    assert.equal(listed.status, 'active')
  })

  it('revokes a token, and revoking it again is an error', async () => {
    const issued = JSON.parse(await roster('token', 'create', '--tenant', 'acme', '--name', 'temp', '--json'))
    assert.deepEqual(JSON.parse(await roster('token', 'revoke', issued.id, '--tenant', 'acme', '--json')), {
      id: issued.id,
      revoked: true,
    })
    const listed = JSON.parse(await roster('token', 'list', '--tenant', 'acme', '--json'))
    assert.equal(listed.find((token: { id: string }) => token.id === issued.id).status, 'revoked')
    const again = await rosterFails('token', 'revoke', issued.id, '--tenant', 'acme')
    assert.match(again.stderr, /no active token/)
  })

  it('rejects an unknown scope and an unknown tenant', async () => {
    assert.match(
      (await rosterFails('token', 'create', '--tenant', 'acme', '--name', 'x', '--scope', 'root')).stderr,
      /scope/,
    )
    assert.match(
      (await rosterFails('token', 'create', '--tenant', 'nope', '--name', 'x')).stderr,
      /no tenant "nope"/,
    )
  })

  it('prints an empty audit trail as JSON', async () => {
    assert.deepEqual(JSON.parse(await roster('audit', '--tenant', 'acme', '--json')), [])
  })

  it('stops with a clear message on invalid configuration', async () => {
    const failure = await rosterFails('serve', '--port', 'eighty')
    assert.equal(failure.code, 2)
    assert.match(failure.stderr, /PORT must be a number/)
  })
})
