import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newResourceId } from '../../src/directory/resource-id.js'

describe('newResourceId', () => {
  it('is a version-7, variant-1 UUID carrying the time', () => {
    const id = newResourceId(Date.UTC(2026, 10, 26))
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16), Date.UTC(2026, 10, 26))
  })

  it('orders by time and never repeats', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newResourceId(1_700_000_000_000 + i))
    assert.deepEqual([...ids].sort(), ids)
    assert.equal(new Set(Array.from({ length: 10_000 }, () => newResourceId())).size, 10_000)
  })
})
