/**
 * HTTP(S) to one SCIM target: a keep-alive socket pool, the bearer token, a deadline per request,
 * and transport failures turned into `ScimTargetError`s. It returns every HTTP answer as it is
 * (redirects are not followed, statuses are not judged): the SCIM client and Test Connection judge.
 *
 * node:http rather than fetch: Node 20's fetch cannot be given a connection pool without undici.
 */
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { ScimTargetError, type TransportFailure } from './scim-target-error.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface TargetTransportOptions {
  /** The SCIM root, e.g. `https://hr.example.com/scim/v2` (query parameters such as `?aadOptscim062020` are kept). */
  tenantUrl: string
  /** The bearer token; it only ever goes into the Authorization header. */
  secretToken: string
  /** Sockets kept open to the target. Default 8. */
  maxSockets?: number
  /**
   * Deadline of one request, from the call (a wait for a pooled socket included: keep the limiter's
   * concurrency at or below maxSockets) to the last byte of the answer. Default 60 s, Entra's.
   */
  timeoutMs?: number
  /** Answers larger than this are cut off as a protocol error. Default 16 MiB. */
  maxResponseBytes?: number
  /** Name resolution, for tests that need a DNS failure without the network. */
  lookup?: LookupFunction
}

export interface TargetRequest {
  method: HttpMethod
  /** Relative to the tenant URL: `/Users`, `/Groups/abc`. */
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  timeoutMs?: number
}

export interface TargetResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024
const IDLE_SOCKET_MS = 15_000

export class TargetTransport {
  readonly #base: URL
  // A private field: the token stays out of util.inspect, JSON.stringify and error objects.
  readonly #authorization: string
  readonly #agent: http.Agent
  readonly #timeoutMs: number
  readonly #maxResponseBytes: number
  readonly #lookup: LookupFunction | undefined

  constructor(options: TargetTransportOptions) {
    this.#base = parseTenantUrl(options.tenantUrl)
    this.#authorization = `Bearer ${options.secretToken}`
    // An idle timeout must be set for Node to apply the server's `Keep-Alive: timeout=N` hint and
    // drop an idle socket before the server does (reusing one the server closed is a reset).
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      timeout: IDLE_SOCKET_MS,
      scheduling: 'lifo' as const,
    }
    this.#agent =
      this.#base.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions)
    this.#timeoutMs = options.timeoutMs ?? 60_000
    this.#maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES
    this.#lookup = options.lookup
  }

  /** The tenant URL as given, normalised (no trailing slash). */
  get tenantUrl(): string {
    return this.#base.href.replace(/\/+(?=$|\?)/, '')
  }

  /** `METHOD /path?query` relative to the tenant URL: how errors and logs name a request. */
  describe(request: TargetRequest): string {
    const search = buildQuery(request.query)
    return `${request.method} ${request.path}${search ? `?${search}` : ''}`
  }

  /** The absolute URL of `request`, the tenant URL's own query parameters first. */
  urlOf(request: TargetRequest): URL {
    const url = new URL(this.#base.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${request.path}`
    url.search = [url.search.slice(1), buildQuery(request.query)].filter((part) => part !== '').join('&')
    return url
  }

  send(request: TargetRequest): Promise<TargetResponse> {
    const url = this.urlOf(request)
    const name = this.describe(request)
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body))
    const headers: http.OutgoingHttpHeaders = {
      authorization: this.#authorization,
      accept: 'application/scim+json, application/json;q=0.9',
      'user-agent': 'roster-provisioning',
    }
    if (payload) {
      headers['content-type'] = 'application/scim+json; charset=utf-8'
      headers['content-length'] = payload.length
    }
    const timeoutMs = request.timeoutMs ?? this.#timeoutMs
    const client = url.protocol === 'https:' ? https : http
    return new Promise<TargetResponse>((resolve, reject) => {
      let sent = false
      let timedOut = false
      const req = client.request(url, {
        method: request.method,
        headers,
        agent: this.#agent,
        ...(this.#lookup ? { lookup: this.#lookup } : {}),
      })
      const timer = setTimeout(() => {
        timedOut = true
        req.destroy(Object.assign(new Error('deadline passed'), { code: 'ETIMEDOUT' }))
      }, timeoutMs)
      const fail = (cause: unknown) => {
        clearTimeout(timer)
        const kind: TransportFailure = timedOut ? 'timeout' : transportFailureOf(cause)
        const message = timedOut
          ? `${name}: no complete answer within ${timeoutMs} ms`
          : `${name}: ${describeFailure(kind)}${errorCode(cause) ? ` (${errorCode(cause)})` : ''}`
        reject(
          new ScimTargetError(message, {
            category: 'transient',
            request: name,
            transport: kind,
            // Once the request left us, the target may have acted on it.
            outcomeUnknown: sent,
            cause: timedOut ? undefined : cause,
          }),
        )
      }
      req.on('finish', () => {
        sent = true
      })
      req.on('error', fail)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > this.#maxResponseBytes) {
            clearTimeout(timer)
            res.destroy()
            reject(
              new ScimTargetError(`${name}: answer larger than ${this.#maxResponseBytes} bytes`, {
                category: 'protocol',
                request: name,
                status: res.statusCode,
              }),
            )
            return
          }
          chunks.push(chunk)
        })
        res.on('error', fail)
        res.on('close', () => {
          if (!res.complete) fail(Object.assign(new Error('answer cut off'), { code: 'ECONNRESET' }))
        })
        res.on('end', () => {
          clearTimeout(timer)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          })
        })
      })
      req.end(payload)
    })
  }

  /** Closes the pooled sockets. */
  close(): void {
    this.#agent.destroy()
  }
}

function parseTenantUrl(tenantUrl: string): URL {
  let url: URL
  try {
    url = new URL(tenantUrl)
  } catch {
    throw new TypeError(`the tenant URL "${tenantUrl}" is not an absolute URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the tenant URL must be http:// or https://, not ${url.protocol}`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('the tenant URL must not hold credentials; the secret token is given separately')
  }
  url.hash = ''
  return url
}

// URLSearchParams encodes spaces as `+`: the form Entra sends (`filter=userName+eq+%22…%22`).
function buildQuery(query: TargetRequest['query']): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.set(key, String(value))
  return params.toString()
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|EPROTO|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/

function transportFailureOf(error: unknown): TransportFailure {
  const code = errorCode(error) ?? ''
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME')
    return 'dns'
  if (code === 'ECONNREFUSED') return 'refused'
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset'
  if (code === 'ETIMEDOUT') return 'timeout'
  if (TLS_CODES.test(code)) return 'tls'
  return 'network'
}

function describeFailure(kind: TransportFailure): string {
  switch (kind) {
    case 'dns':
      return 'the host name does not resolve'
    case 'refused':
      return 'connection refused'
    case 'reset':
      return 'connection reset before a complete answer'
    case 'timeout':
      return 'connection timed out'
    case 'tls':
      return 'TLS handshake failed'
    case 'network':
      return 'network error'
  }
}
