import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cloneJson } from '../../../src/scim/resource/json.js'

describe('cloneJson', () => {
  it('copies every level, so changing the copy leaves the original alone', () => {
    const original = JSON.parse(
      '{"userName":"a","active":true,"n":1,"none":null,"emails":[{"value":"a@x","primary":true}],"name":{"givenName":"A"}}',
    )
    const copy = cloneJson(original)
    assert.deepEqual(copy, original)
    copy.emails[0].value = 'b@x'
    copy.name.givenName = 'B'
    copy.emails.push({ value: 'c@x' })
    assert.equal(original.emails[0].value, 'a@x')
    assert.equal(original.name.givenName, 'A')
    assert.equal(original.emails.length, 1)
  })

  it('keeps a "__proto__" key an own property, as JSON.parse does, without touching the prototype', () => {
    const original = JSON.parse('{"__proto__":{"polluted":true},"x":1}')
    const copy = cloneJson(original)
    assert.equal(Object.getPrototypeOf(copy), Object.prototype)
    assert.deepEqual(Object.keys(copy), ['__proto__', 'x'])
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.deepEqual(JSON.stringify(copy), JSON.stringify(original))
  })

  it('returns primitives as they are', () => {
    for (const value of ['s', 0, false, null, undefined]) assert.equal(cloneJson(value), value)
  })
})
