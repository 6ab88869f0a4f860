/**
 * Test Connection, as Entra does it (entra-scim.md §3.1): a filter query for a user that cannot
 * exist, `GET /Users?filter=userName+eq+%22<random GUID>%22`, which must answer 200 with an empty
 * ListResponse. Where Entra says "invalid credentials" for most failures, each way this probe can
 * fail gets its own reason, a message that says what was seen, and an action that says what to fix.
 * The secret token never appears in any of them.
 */
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { LookupFunction } from 'node:net'
import { isRecord, LIST_RESPONSE_SCHEMA, listProblem } from './scim-resources.js'
import { equalityFilter } from './scim-target-client.js'
import { redactSecret, ScimTargetError, type TransportFailure } from './scim-target-error.js'
import { type TargetRequest, type TargetResponse, TargetTransport } from './target-transport.js'

export type TestConnectionReason =
  | 'invalidUrl'
  | 'missingToken'
  | 'dns'
  | 'connectionRefused'
  | 'tls'
  | 'timeout'
  | 'connectionReset'
  | 'network'
  | 'redirect'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'methodNotAllowed'
  | 'filterRejected'
  | 'throttled'
  | 'serverError'
  | 'unexpectedStatus'
  | 'notJson'
  | 'wrongContentType'
  | 'notListResponse'
  | 'filterIgnored'

export type TestConnectionResult =
  | { ok: true; warnings: string[] }
  | {
      ok: false
      reason: TestConnectionReason
      /** What was seen. */
      message: string
      /** What to change. */
      recommendedAction: string
      /** The HTTP status, when an answer arrived. */
      status?: number
    }

export interface TestConnectionOptions {
  tenantUrl: string
  secretToken: string
  /** The target attribute users are matched on. Default `userName` (Entra's default mapping). */
  matchingAttribute?: string
  /** Also probe `/Groups` with `displayName eq "<GUID>"`, as Entra does when groups are provisioned. */
  checkGroups?: boolean
  /** Default 30 s. */
  timeoutMs?: number
  /** The random value searched for. Default: a random UUID. */
  randomValue?: () => string
  lookup?: LookupFunction
}

type Failure = Extract<TestConnectionResult, { ok: false }>

/** An empty ListResponse is a few hundred bytes; a megabyte means the app listed its directory. */
const PROBE_MAX_BYTES = 1024 * 1024

export async function testConnection(options: TestConnectionOptions): Promise<TestConnectionResult> {
  if (options.secretToken.trim() === '') {
    return fail(
      'missingToken',
      'No secret token was given.',
      'Generate a SCIM token in the app and paste it as the Secret Token.',
    )
  }
  let transport: TargetTransport
  try {
    transport = new TargetTransport({
      tenantUrl: options.tenantUrl,
      secretToken: options.secretToken,
      maxSockets: 1,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxResponseBytes: PROBE_MAX_BYTES,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    })
  } catch (error) {
    return fail(
      'invalidUrl',
      `"${redactSecret(options.tenantUrl, options.secretToken)}" is not a usable tenant URL: ${(error as Error).message}.`,
      'Enter the SCIM base URL of the app, for example https://hr.example.com/scim/v2.',
    )
  }
  const random = options.randomValue ?? randomUUID
  const probes: Probe[] = [
    { collection: 'Users', attribute: options.matchingAttribute ?? 'userName', query: {} },
  ]
  if (options.checkGroups) {
    probes.push({ collection: 'Groups', attribute: 'displayName', query: { excludedAttributes: 'members' } })
  }
  const context: Context = {
    transport,
    base: transport.urlOf({ method: 'GET', path: '' }),
    secret: options.secretToken,
    timeoutMs: options.timeoutMs ?? 30_000,
  }
  try {
    const warnings: string[] = []
    if (context.base.protocol === 'http:' && !isLoopback(context.base)) {
      warnings.push(
        'The tenant URL is http://: the token travels unencrypted. Entra only accepts https:// (TLS 1.2).',
      )
    }
    for (const probe of probes) {
      const outcome = await runProbe(context, probe, random())
      if ('ok' in outcome) return outcome
      warnings.push(...outcome.warnings)
    }
    return { ok: true, warnings }
  } finally {
    transport.close()
  }
}

interface Probe {
  collection: 'Users' | 'Groups'
  attribute: string
  query: Record<string, string>
}

interface Context {
  transport: TargetTransport
  /** The tenant URL, parsed. */
  base: URL
  secret: string
  timeoutMs: number
}

async function runProbe(
  context: Context,
  probe: Probe,
  value: string,
): Promise<Failure | { warnings: string[] }> {
  const request: TargetRequest = {
    method: 'GET',
    path: `/${probe.collection}`,
    query: { ...probe.query, filter: equalityFilter(probe.attribute, value) },
  }
  const url = context.transport.urlOf(request)
  const shown = `GET ${url.origin}${url.pathname}`
  let response: TargetResponse
  try {
    response = await context.transport.send(request)
  } catch (error) {
    if (!(error instanceof ScimTargetError)) throw error
    if (error.transport) return transportFailure(error.transport, url, context, error)
    // The transport's only other failure: an answer over PROBE_MAX_BYTES.
    return fail(
      'filterIgnored',
      `${shown} answered more than ${PROBE_MAX_BYTES / 1024} KiB to a query that should match nothing: the app probably ignores the filter and lists every ${probe.collection === 'Users' ? 'user' : 'group'}.`,
      `The app must filter ${probe.collection} on ${probe.attribute} with "eq"; choose a matching attribute it can filter on, or ask the vendor.`,
      error.status,
    )
  }
  const statusFailure = judgeStatus(context, probe, response, shown)
  if (statusFailure) return statusFailure
  return judgeBody(context, probe, response, shown, value)
}

function transportFailure(
  kind: TransportFailure,
  url: URL,
  context: Context,
  error: ScimTargetError,
): Failure {
  const host = url.hostname
  const code = (error.cause as { code?: string } | undefined)?.code
  switch (kind) {
    case 'dns':
      return fail(
        'dns',
        `The host name "${host}" could not be resolved${code ? ` (${code})` : ''}.`,
        'Check the host name in the tenant URL for typos, and that this server can resolve it (DNS, VPN, private zones).',
      )
    case 'refused':
      return fail(
        'connectionRefused',
        `Nothing accepts connections at ${host}:${portOf(url)}: the connection was refused.`,
        'Check the port in the tenant URL, that the app is running, and that a firewall lets this service reach it.',
      )
    case 'tls':
      return fail(
        'tls',
        `The TLS handshake with ${host}:${portOf(url)} failed${code ? ` (${code})` : ''}.`,
        'Check that the scheme matches the server (https:// only for a TLS server) and that its certificate is valid for this host name and chains to a trusted root.',
      )
    case 'timeout':
      return fail(
        'timeout',
        `${url.origin}${url.pathname} did not answer within ${context.timeoutMs / 1000} s.`,
        'Check that the app is up and not overloaded, and that no firewall silently drops traffic from this service.',
      )
    case 'reset':
      return fail(
        'connectionReset',
        `The connection to ${host}:${portOf(url)} was closed before an answer arrived.`,
        'Check the app’s logs and any proxy or load balancer in front of it; if the app only speaks TLS, use https://.',
      )
    case 'network':
      return fail(
        'network',
        `The request to ${host}:${portOf(url)} failed: ${redactSecret(error.message, context.secret)}.`,
        'Check the tenant URL and the network path from this service to the app.',
      )
  }
}

function judgeStatus(
  context: Context,
  probe: Probe,
  response: TargetResponse,
  shown: string,
): Failure | undefined {
  const { status } = response
  if (status === 200) return undefined
  const label = `${status} ${STATUS_CODES[status] ?? ''}`.trim()
  const detail = scimDetail(response, context.secret)
  const said = detail ? ` The app said: "${detail}".` : ''
  const pathHint = suggestPath(context.base)
  if (status >= 300 && status < 400) {
    const location = response.headers.location
    return fail(
      'redirect',
      `${shown} answered ${label}${location ? `, redirecting to ${redactSecret(location, context.secret)}` : ''}. Provisioning does not follow redirects.`,
      'Use the final address as the tenant URL (often https:// instead of http://); a redirect to a sign-in page means this is not the SCIM API’s URL.',
      status,
    )
  }
  if (status === 401) {
    return fail(
      'unauthorized',
      `The app rejected the secret token (${label}).${said}`,
      'The token is wrong, expired or revoked: generate a new SCIM token in the app and paste it as the Secret Token.',
      status,
    )
  }
  if (status === 403) {
    return fail(
      'forbidden',
      `The app accepted the secret token but refused access to /${probe.collection} (${label}).${said}`,
      'Give the token the SCIM provisioning permission in the app, or generate a token that has it.',
      status,
    )
  }
  if (status === 404) {
    return fail(
      'notFound',
      `${shown} answered ${label}.${said}`,
      `${pathHint} If the path is right, the app answers 404 when a filter matches nobody; SCIM requires 200 with an empty list (ask the vendor to fix it).`,
      status,
    )
  }
  if (status === 405) {
    return fail(
      'methodNotAllowed',
      `${shown} answered ${label}: the address exists but does not take SCIM queries, so it is probably not the SCIM base URL.`,
      pathHint,
      status,
    )
  }
  if (status === 400) {
    return fail(
      'filterRejected',
      `The app refused the query filter=${probe.attribute} eq "…" (${label}).${said}`,
      `The app must support filtering ${probe.collection} on ${probe.attribute} with "eq" (RFC 7644 §3.4.2.2): choose a matching attribute it can filter on, or ask the vendor.`,
      status,
    )
  }
  if (status === 429) {
    const wait = response.headers['retry-after']
    return fail(
      'throttled',
      `The app is rate-limiting this client (${label}${wait ? `, Retry-After: ${wait}` : ''}).`,
      'Wait and test again; if it persists, lower the job’s request rate or ask the vendor to raise the limit.',
      status,
    )
  }
  if (status >= 500) {
    return fail(
      'serverError',
      `The app failed with ${label}.${said}`,
      'This is a fault in the app, not in these settings: check the app’s status and logs, then test again.',
      status,
    )
  }
  return fail(
    'unexpectedStatus',
    `${shown} answered ${label}; a SCIM filter query answers 200 with a ListResponse.${said}`,
    'Check that the tenant URL is the app’s SCIM base URL and that the app implements SCIM 2.0 queries (RFC 7644 §3.4.2).',
    status,
  )
}

function judgeBody(
  context: Context,
  probe: Probe,
  response: TargetResponse,
  shown: string,
  value: string,
): Failure | { warnings: string[] } {
  const { status } = response
  const contentType = response.headers['content-type']
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  let body: unknown
  try {
    body = JSON.parse(response.text)
  } catch {
    const page = /^\s*<(!doctype|html|\?xml|head|body)/i.test(response.text) || mediaType === 'text/html'
    return fail(
      'notJson',
      `${shown} answered 200 with ${contentType ? `"${contentType}"` : 'no Content-Type'}, not JSON${page ? ': a web page, so the URL points at a website or a sign-in page, not at the SCIM API' : ''}.`,
      suggestPath(context.base),
      status,
    )
  }
  const warnings: string[] = []
  if (mediaType === 'application/json') {
    warnings.push(
      `/${probe.collection} answers with Content-Type application/json; SCIM's is application/scim+json.`,
    )
  } else if (mediaType !== 'application/scim+json') {
    return fail(
      'wrongContentType',
      `${shown} answered JSON labelled ${contentType ? `"${contentType}"` : 'with no Content-Type'}; SCIM answers are application/scim+json.`,
      'Ask the vendor to send Content-Type: application/scim+json; clients may refuse bodies of other types.',
      status,
    )
  }
  const problem = listProblem(body)
  if (problem || !isRecord(body)) {
    return fail(
      'notListResponse',
      `${shown} answered JSON that is not a SCIM ListResponse: ${problem ?? 'not an object'}.`,
      'Check that the tenant URL is the SCIM base URL, not another API of the app; a SCIM filter query answers with a ListResponse (RFC 7644 §3.4.2).',
      status,
    )
  }
  const found = Array.isArray(body['Resources']) ? body['Resources'].length : 0
  const total = body['totalResults'] as number
  if (total > 0 || found > 0) {
    return fail(
      'filterIgnored',
      `Asked for ${probe.attribute} eq "${value}", a random value no object can have, the app returned ${Math.max(total, found)} ${probe.collection === 'Users' ? 'user' : 'group'}(s): it ignores the filter.`,
      `The app must filter ${probe.collection} on ${probe.attribute} with "eq"; otherwise matching would link every object to the wrong account. Choose a matching attribute the app can filter on, or ask the vendor.`,
      status,
    )
  }
  const schemas = body['schemas']
  if (!Array.isArray(schemas) || !schemas.includes(LIST_RESPONSE_SCHEMA)) {
    warnings.push(`/${probe.collection}'s ListResponse does not name ${LIST_RESPONSE_SCHEMA} in "schemas".`)
  }
  return { warnings }
}

function fail(
  reason: TestConnectionReason,
  message: string,
  recommendedAction: string,
  status?: number,
): Failure {
  return status === undefined
    ? { ok: false, reason, message, recommendedAction }
    : { ok: false, reason, message, recommendedAction, status }
}

/** The SCIM error detail of an answer, if it has one, short and without the token. */
function scimDetail(response: TargetResponse, secret: string): string | undefined {
  try {
    const body: unknown = JSON.parse(response.text)
    if (isRecord(body) && typeof body['detail'] === 'string' && body['detail'] !== '') {
      return redactSecret(body['detail'].slice(0, 300), secret)
    }
  } catch {
    // Not JSON: nothing the app said is worth quoting.
  }
  return undefined
}

/** The path advice, with the URL the tenant URL most likely should be. */
function suggestPath(url: URL): string {
  const base = url.pathname.replace(/\/+$/, '')
  const likely = `${url.origin}${base.replace(/\/scim(\/.*)?$/i, '')}/scim/v2`
  const advice =
    'Check the tenant URL’s path: it is the SCIM base to which /Users and /Groups are appended, usually ending in /scim/v2 or /scim'
  return likely === `${url.origin}${base}` ? `${advice}.` : `${advice} (try ${likely}).`
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

function isLoopback(url: URL): boolean {
  const host = url.hostname
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.')
}
