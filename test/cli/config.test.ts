import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('operational configuration', () => {
  it('defaults: a pool of 10, 30 s statements, migrations on start, a 10 s drain', () => {
    const config = loadConfig({})
    assert.equal(config.databasePoolMax, 10)
    assert.equal(config.databaseStatementTimeoutMs, 30_000)
    assert.equal(config.autoMigrate, true)
    assert.equal(config.shutdownTimeoutMs, 10_000)
  })

  it('reads them from the environment, a flag overriding AUTO_MIGRATE', () => {
    const env = { DATABASE_POOL_MAX: '25', DATABASE_STATEMENT_TIMEOUT_MS: '5000', SHUTDOWN_TIMEOUT_MS: '0' }
    const config = loadConfig(env, { AUTO_MIGRATE: 'false' })
    assert.deepEqual(
      [
        config.databasePoolMax,
        config.databaseStatementTimeoutMs,
        config.shutdownTimeoutMs,
        config.autoMigrate,
      ],
      [25, 5000, 0, false],
    )
  })

  it('names the variable of a bad value', () => {
    assert.throws(
      () => loadConfig({ DATABASE_POOL_MAX: '0' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /DATABASE_POOL_MAX: DATABASE_POOL_MAX must be > 0/)
        return true
      },
    )
    assert.throws(() => loadConfig({ DATABASE_POOL_MAX: '5000' }), /at most 1000/)
    assert.throws(() => loadConfig({ AUTO_MIGRATE: 'yes' }), /AUTO_MIGRATE must be true or false/)
    assert.throws(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '-1' }), /SHUTDOWN_TIMEOUT_MS must be >= 0/)
  })
})
