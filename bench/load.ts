import autocannon from 'autocannon'

/** One HTTP request to send; `next` is called before every send, so each request can differ. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  body?: string
}

export interface LoadOptions {
  /** http://127.0.0.1:PORT */
  url: string
  headers: Record<string, string>
  next: () => RequestSpec
  connections: number
  /** Seconds. */
  duration: number
  warmup: number
  /** CPU seconds used so far by the server under test, if known. */
  serverCpu?: () => number | undefined
}

export interface Measurement {
  requests: number
  seconds: number
  /** Responses per second over the measured run. */
  rps: number
  /** Latency percentiles in milliseconds (all responses, sub-millisecond precision). */
  p50: number
  p99: number
  /** Response count per HTTP status. */
  statuses: Record<string, number>
  /** Connection errors and timeouts. */
  errors: number
  /** Server CPU time per response, microseconds: its own cost, much less sensitive to other load than req/s. */
  serverCpuUsPerRequest?: number
  /** Server and load-generator CPU use over the run; 1 = one core busy the whole time. */
  serverCores?: number
  clientCores: number
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)] as number
}

interface Fired {
  measurement: Measurement
  /** Every response's latency, ms, sorted: for percentiles over several runs. */
  latencies: Float64Array
  /** Server CPU seconds over the run, if known. */
  serverCpu?: number
}

async function fire(options: LoadOptions, duration: number): Promise<Fired> {
  const latencies: number[] = []
  const serverCpuStart = options.serverCpu?.()
  const clientCpuStart = process.cpuUsage()
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration,
    timeout: 30,
    requests: [
      {
        headers: options.headers,
        setupRequest: (request) => {
          const spec = options.next()
          return spec.body === undefined
            ? { ...request, method: spec.method, path: spec.path }
            : { ...request, method: spec.method, path: spec.path, body: spec.body }
        },
      },
    ],
  })
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime)
  })
  const result = await instance
  const serverCpuEnd = options.serverCpu?.()
  const clientCpu = process.cpuUsage(clientCpuStart)
  const serverCpu =
    serverCpuStart === undefined || serverCpuEnd === undefined ? undefined : serverCpuEnd - serverCpuStart
  const sorted = Float64Array.from(latencies).sort()
  const statuses: Record<string, number> = {}
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) statuses[status] = count
  const measurement: Measurement = {
    requests: sorted.length,
    seconds: result.duration,
    rps: sorted.length / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    statuses,
    errors: result.errors,
    ...(serverCpu === undefined || latencies.length === 0
      ? {}
      : {
          serverCpuUsPerRequest: (serverCpu * 1e6) / latencies.length,
          serverCores: serverCpu / result.duration,
        }),
    clientCores: (clientCpu.user + clientCpu.system) / 1e6 / result.duration,
  }
  return { measurement, latencies: sorted, ...(serverCpu === undefined ? {} : { serverCpu }) }
}

/** A warm-up (JIT, caches, connection set-up; not recorded) and then the measured run. */
export async function measureLoad(options: LoadOptions): Promise<Measurement> {
  if (options.warmup > 0) await fire(options, options.warmup)
  return (await fire(options, options.duration)).measurement
}

/**
 * A warm-up, then the measured run cut into `slices` equal parts, with `between(i)` awaited before
 * part i and after the last one (i = slices): the caller measures its yardstick there. Answers
 * the whole run as one measurement (percentiles over every response) and each part's.
 */
export async function measureSliced(
  options: LoadOptions,
  slices: number,
  between: (index: number) => Promise<void>,
): Promise<{ measurement: Measurement; slices: Measurement[] }> {
  if (options.warmup > 0) await fire(options, options.warmup)
  const parts: Fired[] = []
  for (let i = 0; i < slices; i++) {
    await between(i)
    parts.push(await fire(options, options.duration / slices))
  }
  await between(slices)
  return { measurement: merge(parts), slices: parts.map((part) => part.measurement) }
}

function merge(parts: Fired[]): Measurement {
  const sum = (value: (part: Fired) => number) => parts.reduce((total, part) => total + value(part), 0)
  const requests = sum((part) => part.measurement.requests)
  const seconds = sum((part) => part.measurement.seconds)
  const latencies = new Float64Array(requests)
  let at = 0
  for (const part of parts) {
    latencies.set(part.latencies, at)
    at += part.latencies.length
  }
  latencies.sort()
  const statuses: Record<string, number> = {}
  for (const part of parts) {
    for (const [status, count] of Object.entries(part.measurement.statuses)) {
      statuses[status] = (statuses[status] ?? 0) + count
    }
  }
  const knownCpu = parts.every((part) => part.serverCpu !== undefined)
  const serverCpu = sum((part) => part.serverCpu ?? 0)
  return {
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
    errors: sum((part) => part.measurement.errors),
    ...(knownCpu && requests > 0
      ? { serverCpuUsPerRequest: (serverCpu * 1e6) / requests, serverCores: serverCpu / seconds }
      : {}),
    clientCores: sum((part) => part.measurement.clientCores * part.measurement.seconds) / seconds,
  }
}
