import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FixedWindowLimiter } from '../../src/access/fixed-window-limiter.js'

describe('FixedWindowLimiter', () => {
  it('allows max events per window, then says how long to wait, then allows again', () => {
    const limiter = new FixedWindowLimiter(2, 10_000)
    assert.equal(limiter.hit('a', 0), 0)
    assert.equal(limiter.hit('a', 1_000), 0)
    assert.equal(limiter.hit('a', 2_000), 8)
    assert.equal(limiter.hit('a', 9_999), 1)
    assert.equal(limiter.hit('a', 10_000), 0)
  })

  it('keeps keys apart', () => {
    const limiter = new FixedWindowLimiter(1, 10_000)
    assert.equal(limiter.hit('a', 0), 0)
    assert.equal(limiter.hit('b', 0), 0)
    assert.ok(limiter.hit('a', 1) > 0)
  })

  it('only counts recorded events when asked how long to wait', () => {
    const limiter = new FixedWindowLimiter(1, 10_000)
    assert.equal(limiter.retryAfterSeconds('a', 0), 0)
    limiter.record('a', 0)
    assert.equal(limiter.retryAfterSeconds('a', 5_000), 5)
  })
})
