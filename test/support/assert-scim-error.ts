import assert from 'node:assert/strict'
import { ScimError } from '../../src/scim/errors.js'

/** Asserts that `fn` throws a 400 ScimError with this scimType and a detail equal to or matching `detail`. */
export function assertScimError(fn: () => unknown, scimType: string, detail: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`)
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType)
    if (typeof detail === 'string') assert.equal(error.detail, detail)
    else assert.match(error.detail, detail)
    return true
  })
}
