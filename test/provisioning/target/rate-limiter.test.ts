import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { AdaptiveRateLimiter } from '../../../src/provisioning/target/rate-limiter.js'
import { ScimTargetClient } from '../../../src/provisioning/target/scim-target-client.js'
import { ScimTargetError } from '../../../src/provisioning/target/scim-target-error.js'
import { type FaultyScimTarget, startFaultyScimTarget } from '../../support/faulty-scim-target.js'
import { ManualClock } from './manual-clock.js'

const throttled = (retryAfterMs?: number) =>
  new ScimTargetError('429', { category: 'throttled', request: 'GET /Users', status: 429, retryAfterMs })
const transient = (retryAfterMs?: number) =>
  new ScimTargetError('503', { category: 'transient', request: 'GET /Users', status: 503, retryAfterMs })

/** Starts `count` acquire/release pairs and returns the clock times at which they were let through. */
function grantTimes(limiter: AdaptiveRateLimiter, clock: ManualClock, count: number): number[] {
  const times: number[] = []
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(() => {
      times.push(clock.now())
      limiter.release()
    })
  }
  return times
}

/** Runs one request through the limiter that fails with `error`. */
async function fail(limiter: AdaptiveRateLimiter, error: Error): Promise<void> {
  await assert.rejects(
    limiter.run(() => Promise.reject(error)),
    (thrown) => thrown === error,
  )
}

describe('AdaptiveRateLimiter on a manual clock', () => {
  it('spaces requests at the rate', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, burst: 1, clock })
    const times = grantTimes(limiter, clock, 5)
    await clock.advanceTo(1_000)
    assert.deepEqual(times, [0, 100, 200, 300, 400])
  })

  it('keeps any 2 s window under ceiling·2 + burst', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 25, clock })
    const times = grantTimes(limiter, clock, 200)
    await clock.advanceTo(5_000)
    for (const start of times) {
      const inWindow = times.filter((time) => time >= start && time < start + 2_000).length
      assert.ok(inWindow <= 52, `${inWindow} requests in the 2 s from ${start}`)
    }
    assert.ok(times.filter((time) => time < 2_000).length >= 50, 'the ceiling is used, not just respected')
  })

  it('caps the requests in flight', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 1_000, maxConcurrency: 2, clock })
    let granted = 0
    for (let i = 0; i < 3; i += 1) {
      void limiter.acquire().then(() => {
        granted += 1
      })
    }
    await clock.advanceTo(1_000)
    assert.equal(granted, 2)
    assert.equal(limiter.snapshot().queued, 1)
    limiter.release()
    await clock.advanceTo(2_000)
    assert.equal(granted, 3)
  })

  it('on 429 pauses every request for Retry-After, halves the rate, then recovers additively', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, burst: 1, recoveryPerSecond: 1, clock })
    await fail(limiter, throttled(2_000))
    assert.equal(limiter.snapshot().pausedUntil, 2_000)
    assert.equal(limiter.snapshot().ratePerSecond, 5)
    const times = grantTimes(limiter, clock, 2)
    await clock.advanceTo(1_999)
    assert.deepEqual(times, [], 'nothing goes out during the pause')
    await clock.advanceTo(3_000)
    assert.equal(times.length, 2)
    assert.ok(times[0]! >= 2_000 && times[0]! <= 2_200, `first after the pause at ${times[0]}`)
    await clock.advanceTo(4_000)
    assert.equal(limiter.snapshot().ratePerSecond, 7, 'two calm seconds after the pause: +2/s')
    await clock.advanceTo(10_000)
    assert.equal(limiter.snapshot().ratePerSecond, 10, 'never above the ceiling')
  })

  it('pauses for the default when a 429 has no Retry-After, and never longer than maxPauseMs', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({
      ratePerSecond: 10,
      defaultPauseMs: 500,
      maxPauseMs: 60_000,
      clock,
    })
    await fail(limiter, throttled())
    assert.equal(limiter.snapshot().pausedUntil, 500)
    limiter.throttled(24 * 3_600_000)
    assert.equal(limiter.snapshot().pausedUntil, 60_000)
  })

  it('on 5xx and timeouts lowers the rate once per interval, pausing only when told how long', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 10, recoveryPerSecond: 0, clock })
    await fail(limiter, transient())
    await fail(limiter, transient())
    assert.equal(limiter.snapshot().ratePerSecond, 7.5, 'failures together count once')
    assert.equal(limiter.snapshot().pausedUntil, 0)
    await clock.advanceTo(1_000)
    await fail(limiter, transient(3_000))
    assert.equal(limiter.snapshot().ratePerSecond, 5.625)
    assert.equal(limiter.snapshot().pausedUntil, 4_000)
    assert.equal(limiter.snapshot().failures, 3)
  })

  it('never drops below the floor, and ignores answers that say nothing about load', async () => {
    const clock = new ManualClock()
    const limiter = new AdaptiveRateLimiter({
      ratePerSecond: 10,
      minRatePerSecond: 2,
      decreaseIntervalMs: 0,
      clock,
    })
    for (let i = 0; i < 10; i += 1) limiter.throttled(0)
    assert.equal(limiter.snapshot().ratePerSecond, 2)
    const other = new AdaptiveRateLimiter({ ratePerSecond: 10, clock })
    await fail(
      other,
      new ScimTargetError('409', { category: 'conflict', request: 'POST /Users', status: 409 }),
    )
    await fail(other, new TypeError('a bug'))
    assert.equal(other.snapshot().ratePerSecond, 10)
    assert.equal(other.snapshot().inFlight, 0, 'failed runs release their slot')
  })
})

describe('AdaptiveRateLimiter over HTTP against a faulty SCIM target', () => {
  let target: FaultyScimTarget
  before(async () => {
    target = await startFaultyScimTarget()
  })
  after(async () => {
    await target.close()
  })
  beforeEach(() => target.reset())

  function limitedClient(limiter: AdaptiveRateLimiter): ScimTargetClient {
    return new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, scheduler: limiter })
  }

  it('holds 25 requests/s: at most 52 requests reach the target within 2 s of the first', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 25, maxConcurrency: 8 })
    // The window opens when the first request is let through, not when it lands: on a busy machine
    // a late first arrival would otherwise shrink the window and count jitter as excess.
    let opened: number | undefined
    const scheduler = {
      run: <T>(task: () => Promise<T>) =>
        limiter.run(() => {
          opened ??= performance.now()
          return task()
        }),
    }
    const client = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, scheduler })
    try {
      await Promise.all(Array.from({ length: 60 }, (_, i) => client.findUsers(`userName eq "r${i}"`)))
    } finally {
      client.close()
    }
    const start = opened ?? 0
    const inTwoSeconds = target.requests.filter((request) => request.receivedAt < start + 2_000).length
    assert.ok(inTwoSeconds <= 52, `${inTwoSeconds} requests within 2 s`)
    // The ceiling is used, not only respected (with room for a loaded machine's late timers).
    assert.ok(inTwoSeconds >= 40, `only ${inTwoSeconds} requests within 2 s`)
  })

  it('one at a time: after a 429 the next request reaches the target only when Retry-After has passed', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 50, maxConcurrency: 1 })
    const client = limitedClient(limiter)
    target.inject({ method: 'GET', every: 2, fault: { kind: 'status', status: 429, retryAfter: 1 } })
    try {
      await Promise.allSettled(Array.from({ length: 5 }, (_, i) => client.findUsers(`userName eq "s${i}"`)))
    } finally {
      client.close()
    }
    const index = target.requests.findIndex((request) => request.status === 429)
    const answeredAt = target.requests[index]?.answeredAt ?? Number.NaN
    const next = target.requests[index + 1]?.receivedAt ?? Number.NaN
    assert.ok(next - answeredAt >= 1_000, `the next request came ${next - answeredAt} ms after the 429`)
  })

  it('all in flight: no request is sent while a 429’s Retry-After runs, then work resumes more slowly', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 50, maxConcurrency: 4 })
    // When each request was sent, and when the client learned of the 429 (the pause starts there).
    const sentAt: number[] = []
    let learnedAt = Number.NaN
    const scheduler = {
      run: <T>(task: () => Promise<T>) =>
        limiter.run(async () => {
          sentAt.push(performance.now())
          try {
            return await task()
          } catch (error) {
            if ((error as ScimTargetError).status === 429) learnedAt = performance.now()
            throw error
          }
        }),
    }
    const client = new ScimTargetClient({ tenantUrl: target.url, secretToken: target.token, scheduler })
    target.inject({ method: 'GET', every: 5, fault: { kind: 'status', status: 429, retryAfter: 1 } })
    let results: PromiseSettledResult<unknown>[]
    try {
      results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => client.findUsers(`userName eq "t${i}"`)),
      )
    } finally {
      client.close()
    }
    assert.equal(results.filter((result) => result.status === 'rejected').length, 1)
    const during = sentAt.filter((time) => time > learnedAt && time < learnedAt + 1_000)
    assert.deepEqual(during, [], 'requests were sent during the pause')
    // At the target: only requests already in flight (at most maxConcurrency - 1) land in the pause.
    const answeredAt = target.requests.find((request) => request.status === 429)?.answeredAt ?? Number.NaN
    const landed = target.requests.filter(
      (request) => request.receivedAt > answeredAt && request.receivedAt < answeredAt + 1_000,
    )
    assert.ok(landed.length <= 3, `${landed.length} requests reached the target during the pause`)
    assert.ok(
      sentAt.filter((time) => time >= learnedAt + 1_000).length > 0,
      'the work resumed after the pause',
    )
    assert.equal(limiter.snapshot().throttled, 1)
    assert.ok(limiter.snapshot().ratePerSecond < 50, 'slower after a 429')
  })
})
