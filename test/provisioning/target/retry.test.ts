import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import {
  backoffDelay,
  createWithRematch,
  type RetryEvent,
  withRetries,
} from '../../../src/provisioning/target/retry.js'
import { equalityFilter, ScimTargetClient } from '../../../src/provisioning/target/scim-target-client.js'
import {
  ScimTargetError,
  type ScimTargetErrorCategory,
} from '../../../src/provisioning/target/scim-target-error.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

const error = (category: ScimTargetErrorCategory, retryAfterMs?: number) =>
  new ScimTargetError(category, { category, request: 'GET /Users', retryAfterMs })

/** A policy that records its waits instead of sleeping. */
function recorded(extra: Parameters<typeof withRetries>[1] = {}) {
  const waits: number[] = []
  return { waits, policy: { random: () => 0.5, sleep: async (ms: number) => void waits.push(ms), ...extra } }
}

describe('withRetries', () => {
  it('retries throttled and transient errors with exponential full-jitter waits, up to maxAttempts', async () => {
    const { waits, policy } = recorded({ maxAttempts: 4, baseDelayMs: 100 })
    let calls = 0
    await assert.rejects(
      withRetries(async () => {
        calls += 1
        throw error('transient')
      }, policy),
      { category: 'transient' },
    )
    assert.equal(calls, 4)
    assert.deepEqual(waits, [50, 100, 200], 'half of 100, 200, 400 with random() = 0.5')
  })

  it('does not retry conflicts, client, auth, notFound or protocol errors, nor bugs', async () => {
    for (const category of ['conflict', 'client', 'auth', 'notFound', 'protocol'] as const) {
      let calls = 0
      await assert.rejects(
        withRetries(async () => {
          calls += 1
          throw error(category)
        }, recorded().policy),
        { category },
      )
      assert.equal(calls, 1, category)
    }
    let calls = 0
    await assert.rejects(
      withRetries(async () => {
        calls += 1
        throw new TypeError('bug')
      }, recorded().policy),
      TypeError,
    )
    assert.equal(calls, 1)
  })

  it('waits at least Retry-After, at most maxDelayMs, and reports each retry', async () => {
    const events: RetryEvent[] = []
    const { waits, policy } = recorded({
      maxDelayMs: 5_000,
      onRetry: (event: RetryEvent) => events.push(event),
    })
    let calls = 0
    const result = await withRetries(async (attempt) => {
      calls += 1
      if (attempt === 1) throw error('throttled', 2_000)
      if (attempt === 2) throw error('throttled', 60_000)
      return 'done'
    }, policy)
    assert.equal(result, 'done')
    assert.equal(calls, 3)
    assert.deepEqual(waits, [2_000, 5_000])
    assert.deepEqual(
      events.map((event) => [event.attempt, event.error.category, event.delayMs]),
      [
        [1, 'throttled', 2_000],
        [2, 'throttled', 5_000],
      ],
    )
  })

  it('draws full jitter: anywhere from 0 to the exponential ceiling', () => {
    const transient = error('transient')
    assert.equal(backoffDelay(3, transient, { baseDelayMs: 100, random: () => 0 }), 0)
    assert.equal(backoffDelay(3, transient, { baseDelayMs: 100, random: () => 0.999 }), 399)
    assert.equal(
      backoffDelay(30, transient, { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 }),
      999,
    )
  })
})

describe('retries over HTTP against a faulty SCIM target', () => {
  let target: FaultyScimTarget
  let client: ScimTargetClient
  const fast = { baseDelayMs: 5, maxDelayMs: 20 }

  before(async () => {
    target = await startFaultyScimTarget({ enforceUniqueness: false })
  })
  after(async () => {
    await target.close()
  })
  beforeEach(() => {
    client?.close()
    target.reset()
    client = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, timeoutMs: 500 })
  })

  const ada = { schemas: [USER], userName: 'ada@example.com' }
  const rematchAda = async () =>
    (await client.findUsers(equalityFilter('userName', ada.userName))).Resources[0]

  it('gets through 503s and 429s, and gives up after maxAttempts on a target that keeps failing', async () => {
    target.inject({ fault: { kind: 'status', status: 503 }, times: 2 })
    target.inject({ fault: { kind: 'status', status: 429, retryAfter: 0 } })
    const list = await withRetries(() => client.findUsers('userName eq "x"'), fast)
    assert.equal(list.totalResults, 0)
    assert.equal(target.count('GET', '/Users'), 4)

    target.reset()
    target.inject({ fault: { kind: 'status', status: 500 }, times: Number.POSITIVE_INFINITY })
    await assert.rejects(
      withRetries(() => client.getUser('x'), { ...fast, maxAttempts: 3 }),
      {
        category: 'transient',
        status: 500,
      },
    )
    assert.equal(target.count(), 3, 'exactly maxAttempts requests')
  })

  it('a POST whose answer was lost is re-matched, not sent again: one user, no duplicate', async () => {
    target.inject({ method: 'POST', path: '/Users', fault: { kind: 'lostAnswer' } })
    const outcome = await createWithRematch(
      { create: () => client.createUser(ada), rematch: rematchAda },
      fast,
    )
    assert.equal(outcome.kind, 'rematched')
    assert.equal(outcome.attempts, 2)
    assert.equal(target.count('POST', '/Users'), 1)
    const stored = target.usersNamed(ada.userName)
    assert.equal(stored.length, 1)
    assert.equal(outcome.id, stored[0]?.id)
  })

  it('shows why: blindly retrying the same lost POST makes a duplicate on this target', async () => {
    target.inject({ method: 'POST', path: '/Users', fault: { kind: 'lostAnswer' } })
    await withRetries(() => client.createUser(ada), fast)
    assert.equal(target.usersNamed(ada.userName).length, 2)
  })

  it('a POST that timed out after the target committed it is re-matched too', async () => {
    target.inject({ method: 'POST', path: '/Users', fault: { kind: 'delay', ms: 1_500, commitFirst: true } })
    const outcome = await createWithRematch(
      { create: () => client.createUser(ada), rematch: rematchAda },
      fast,
    )
    assert.equal(outcome.kind, 'rematched')
    assert.equal(target.usersNamed(ada.userName).length, 1)
  })

  it('a POST refused before it was sent, or answered 503, is simply sent again', async () => {
    target.inject({ method: 'POST', path: '/Users', fault: { kind: 'status', status: 503 } })
    let lookups = 0
    const outcome = await createWithRematch(
      {
        create: () => client.createUser(ada),
        rematch: async () => {
          lookups += 1
          return rematchAda()
        },
      },
      fast,
    )
    assert.equal(outcome.kind, 'created')
    assert.equal(outcome.attempts, 2)
    assert.equal(lookups, 0, 'a 503 says the request was not carried out: nothing to re-match')
    assert.equal(target.usersNamed(ada.userName).length, 1)
  })

  it('a 409 after a lost answer is re-matched (the lookup ran before the target showed the user)', async () => {
    const strict = await startFaultyScimTarget()
    const strictClient = new ScimTargetClient({ tenantUrl: strict.url, secretToken: strict.token })
    try {
      strict.inject({ method: 'POST', path: '/Users', fault: { kind: 'lostAnswer' } })
      let lookups = 0
      const outcome = await createWithRematch(
        {
          create: () => strictClient.createUser(ada),
          rematch: async () => {
            lookups += 1
            // The first look-up misses, as on a target whose filters lag behind its writes.
            if (lookups === 1) return undefined
            return (await strictClient.findUsers(equalityFilter('userName', ada.userName))).Resources[0]
          },
        },
        fast,
      )
      assert.equal(outcome.kind, 'rematched')
      assert.equal(lookups, 2)
      assert.equal(strict.count('POST', '/Users'), 2, 'the second POST got 409')
      assert.equal(strict.usersNamed(ada.userName).length, 1)
    } finally {
      strictClient.close()
      await strict.close()
    }
  })

  it('a conflict on a first, clean POST is the caller’s to resolve, not re-matched', async () => {
    const strict = await startFaultyScimTarget()
    const strictClient = new ScimTargetClient({ tenantUrl: strict.url, secretToken: strict.token })
    try {
      await strictClient.createUser(ada)
      await assert.rejects(
        createWithRematch({ create: () => strictClient.createUser(ada), rematch: rematchAda }, fast),
        { category: 'conflict' },
      )
    } finally {
      strictClient.close()
      await strict.close()
    }
  })
})
