import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Filter } from '../../../src/scim/filter/ast.js'
import { evaluateFilter } from '../../../src/scim/filter/evaluate.js'
import { parseFilter } from '../../../src/scim/filter/parse-filter.js'
import { userResource } from '../../../src/scim/schema/registry.js'

function parse(text: string): Filter {
  const result = parseFilter(text)
  assert.ok(result.ok, result.ok ? '' : result.error.message)
  return result.value
}

function depth(filter: Filter): number {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return 1 + Math.max(depth(filter.left), depth(filter.right))
    case 'not':
      return 1 + depth(filter.filter)
    case 'valuePath':
      return 1 + depth(filter.filter)
    default:
      return 1
  }
}

function terms(filter: Filter): string[] {
  if (filter.kind === 'and' || filter.kind === 'or') return [...terms(filter.left), ...terms(filter.right)]
  return filter.kind === 'compare' ? [String(filter.value)] : []
}

describe('parseFilter: long flat and/or chains', () => {
  const chain = (n: number, op: 'and' | 'or') =>
    Array.from({ length: n }, (_, i) => `title eq "t${i}"`).join(` ${op} `)

  it('parses a chain of n terms into a tree about log2(n) deep, keeping the terms in order', () => {
    for (const op of ['and', 'or'] as const) {
      const filter = parse(chain(400, op))
      assert.equal(filter.kind, op)
      assert.ok(depth(filter) <= 10, `${op} chain is ${depth(filter)} deep`)
      assert.deepEqual(
        terms(filter),
        Array.from({ length: 400 }, (_, i) => `t${i}`),
      )
    }
  })

  it('keeps the meaning of a chain: any term of an `or`, every term of an `and`', () => {
    const user = { schemas: [], userName: 'u', title: 't399' }
    assert.equal(evaluateFilter(parse(chain(400, 'or')), user, userResource), true)
    assert.equal(evaluateFilter(parse(chain(400, 'and')), user, userResource), false)
    const all = Array.from({ length: 300 }, () => 'title pr').join(' and ')
    assert.equal(evaluateFilter(parse(all), user, userResource), true)
  })

  it('balances value filters too', () => {
    const filter = parse(`emails[${Array.from({ length: 500 }, () => 'type pr').join(' or ')}]`)
    assert.ok(depth(filter) <= 11, `value filter is ${depth(filter)} deep`)
  })
})
