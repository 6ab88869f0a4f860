/**
 * The part of autocannon 8's programmatic API the benchmark uses (the package ships no types).
 * See node_modules/autocannon/README.md, "Programmatically".
 */
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /** Called before every send of this request; returns the request to send. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request
    }

    interface Options {
      url: string
      connections?: number
      /** Seconds. */
      duration?: number
      pipelining?: number
      /** Seconds before a request counts as a timeout. */
      timeout?: number
      requests?: Request[]
    }

    /** hdr-histogram-percentiles-obj */
    interface Histogram {
      average: number
      min: number
      max: number
      p50: number
      p99: number
    }

    interface Result {
      /** Per-second request counts; `total` is every completed request. */
      requests: Histogram & { total: number }
      /** Milliseconds, whole numbers. */
      latency: Histogram
      /** Seconds. */
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      statusCodeStats: Record<string, { count: number }>
    }

    interface Instance extends PromiseLike<Result> {
      /** Every response of the run; `responseTime` in milliseconds, with sub-millisecond precision. */
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
      ): this
      stop(): void
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance
  export = autocannon
}
