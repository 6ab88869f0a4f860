/**
 * A small, real SCIM 2.0 target on loopback (node:http, in memory) that fails on request: what the
 * provisioning tests provision into when they need 429s, 5xx, timeouts, slow answers, resets and
 * lost answers, none of which the real HR app produces on demand.
 *
 *   const target = await startFaultyScimTarget()            // { url, token, … }
 *   target.inject({ method: 'POST', path: '/Users', fault: { kind: 'lostAnswer' } })
 *   … provision into target.url with target.token …
 *   target.users / target.groups / target.requests / target.count('POST', '/Users')
 *   await target.close()
 *
 * SCIM served under `basePath` (default /scim/v2), bearer token required (401 otherwise):
 * - GET /Users|/Groups with `filter` = `userName eq "…"` (case-insensitive), `externalId eq "…"`,
 *   `displayName eq "…"` (Groups) only, anything else 400 invalidFilter; startIndex, count;
 *   `excludedAttributes=members` on Groups.
 * - GET, PUT, PATCH (PatchOp: add/replace/remove; paths `attr`, `attr.sub`, `urn:…:attr`,
 *   `attr[sub eq "x"]`, `attr[sub eq "x"].sub2`; no path = object of attributes), DELETE on
 *   /Users/{id} and /Groups/{id}; POST on /Users and /Groups.
 * - userName (Users) and displayName (Groups) unique, case-insensitively, unless
 *   `enforceUniqueness: false`, which lets a blind re-POST make the duplicate many real apps make.
 *
 * Faults (`inject(rule)`): a rule applies to requests matching its `method` and `path` (a string is
 * an exact path after basePath, a RegExp is tested against it), on every `every`-th match, `times`
 * times (default once; Infinity for always). Rules are checked in the order injected; the first
 * that applies wins. Kinds:
 * - `status`: a SCIM error with that status (429, 500, 503, …), `Retry-After` if `retryAfter` is set.
 * - `raw`: any status, headers and body (HTML pages, redirects, non-SCIM JSON).
 * - `hang`: never answers (the socket stays open until the client gives up or `close()`).
 * - `delay`: answers normally after `ms`; with `commitFirst` the request is carried out at once
 *   and only the answer waits (a client that times out has nevertheless created the object).
 * - `reset`: drops the connection (TCP RST) without doing anything.
 * - `lostAnswer`: carries the request out (the user is created), then drops the connection.
 * `setRateLimit(n, retryAfterSeconds)` answers 429 to any request beyond n in the last second.
 * `latencyMs` (option) delays every answer, for slow-target tests.
 *
 * `requests` records every request: method, path, query, `receivedAt`/`answeredAt` on the
 * performance.now() clock, the status sent and the fault applied. `maxOpenConnections` is the
 * most connections open at once and `connectionCount` those accepted in all (keep-alive pool tests).
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number | string; detail?: string }
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number; commitFirst?: boolean }
  | { kind: 'reset' }
  | { kind: 'lostAnswer' }

export interface FaultRule {
  fault: Fault
  method?: string
  path?: string | RegExp
  /** How many matching requests get the fault. Default 1. */
  times?: number
  /** Only every n-th matching request (the n-th, 2n-th, …). Default 1. */
  every?: number
}

export interface RecordedRequest {
  seq: number
  method: string
  /** After basePath, without the query: `/Users`, `/Users/abc`. */
  path: string
  query: Record<string, string>
  /** The request target exactly as sent, e.g. `/scim/v2/Users?filter=userName+eq+%22…%22`. */
  rawUrl: string
  /** performance.now() when the request line arrived. */
  receivedAt: number
  /** performance.now() when the answer was sent, unless none was. */
  answeredAt?: number
  status?: number
  fault?: Fault['kind']
}

// biome-ignore lint/suspicious/noExplicitAny: SCIM resources are arbitrary JSON
export type StoredResource = Record<string, any> & { id: string }

export interface FaultyScimTargetOptions {
  token?: string
  basePath?: string
  enforceUniqueness?: boolean
  latencyMs?: number
}

export interface FaultyScimTarget {
  /** The SCIM base URL (the tenant URL), e.g. http://127.0.0.1:40123/scim/v2 */
  url: string
  /** http://127.0.0.1:port, without the base path. */
  origin: string
  token: string
  users: Map<string, StoredResource>
  groups: Map<string, StoredResource>
  requests: RecordedRequest[]
  readonly maxOpenConnections: number
  /** Connections accepted in all (keep-alive reuse shows as fewer connections than requests). */
  readonly connectionCount: number
  inject(rule: FaultRule): void
  clearFaults(): void
  setRateLimit(perSecond: number | undefined, retryAfterSeconds?: number): void
  /** Requests recorded, optionally only those with this method and path (string: exact, RegExp: test). */
  count(method?: string, path?: string | RegExp): number
  /** Users whose userName equals `userName`, case-insensitively. */
  usersNamed(userName: string): StoredResource[]
  /** Forgets resources, faults, the rate limit and recorded requests. */
  reset(): void
  close(): Promise<void>
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const SCIM_JSON = 'application/scim+json; charset=utf-8'

interface Answer {
  status: number
  headers?: Record<string, string>
  body?: string
}

interface ActiveRule extends FaultRule {
  left: number
  seen: number
}

class ScimProblem extends Error {
  readonly status: number
  readonly scimType: string | undefined
  constructor(status: number, detail: string, scimType?: string) {
    super(detail)
    this.status = status
    this.scimType = scimType
  }
}

export async function startFaultyScimTarget(
  options: FaultyScimTargetOptions = {},
): Promise<FaultyScimTarget> {
  const token = options.token ?? `faulty-${randomUUID()}`
  const basePath = (options.basePath ?? '/scim/v2').replace(/\/+$/, '')
  const enforceUniqueness = options.enforceUniqueness ?? true
  const users = new Map<string, StoredResource>()
  const groups = new Map<string, StoredResource>()
  const requests: RecordedRequest[] = []
  let rules: ActiveRule[] = []
  let rateLimit: { perSecond: number; retryAfterSeconds: number } | undefined
  const accepted: number[] = []
  const timers = new Set<NodeJS.Timeout>()
  const sockets = new Set<Socket>()
  let maxOpenConnections = 0
  let connectionCount = 0
  let origin = ''

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const takeFault = (method: string, path: string): Fault | undefined => {
    for (const rule of rules) {
      if (rule.left <= 0) continue
      if (rule.method && rule.method.toUpperCase() !== method) continue
      if (rule.path !== undefined && !matchesPath(rule.path, path)) continue
      rule.seen += 1
      if (rule.seen % (rule.every ?? 1) !== 0) continue
      rule.left -= 1
      return rule.fault
    }
    return undefined
  }

  const overRateLimit = (now: number): boolean => {
    if (!rateLimit) return false
    while (accepted.length > 0 && (accepted[0] ?? 0) <= now - 1000) accepted.shift()
    if (accepted.length >= rateLimit.perSecond) return true
    accepted.push(now)
    return false
  }

  const store = { users, groups, enforceUniqueness, origin: () => origin, basePath }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://target')
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname
    const record: RecordedRequest = {
      seq: requests.length + 1,
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      rawUrl: req.url ?? '/',
      receivedAt: performance.now(),
    }
    requests.push(record)
    const body = await readBody(req)
    const answer = (result: Answer) => {
      record.status = result.status
      res.on('finish', () => {
        record.answeredAt = performance.now()
      })
      res.writeHead(result.status, result.headers ?? {})
      res.end(result.body)
    }
    const drop = () => {
      const socket = req.socket
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
      else socket.destroy()
    }
    const carryOut = () => handleScim(store, token, record.method, path, url.searchParams, req.headers, body)

    const fault = takeFault(record.method, path)
    if (fault) record.fault = fault.kind
    if (options.latencyMs) await later(options.latencyMs)
    if (!fault && overRateLimit(performance.now())) {
      const retryAfter = String(rateLimit?.retryAfterSeconds ?? 1)
      answer(scimError(429, 'rate limit exceeded', undefined, { 'retry-after': retryAfter }))
      return
    }
    switch (fault?.kind) {
      case undefined:
        answer(carryOut())
        return
      case 'status': {
        const extra: Record<string, string> =
          fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }
        answer(scimError(fault.status, fault.detail ?? `injected ${fault.status}`, undefined, extra))
        return
      }
      case 'raw':
        answer({ status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? '' })
        return
      case 'hang':
        return
      case 'reset':
        drop()
        return
      case 'lostAnswer':
        carryOut()
        drop()
        return
      case 'delay': {
        const result = fault.commitFirst ? carryOut() : undefined
        await later(fault.ms)
        if (!res.destroyed) answer(result ?? carryOut())
        return
      }
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    connectionCount += 1
    maxOpenConnections = Math.max(maxOpenConnections, sockets.size)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}${basePath}`,
    origin,
    token,
    users,
    groups,
    requests,
    get maxOpenConnections() {
      return maxOpenConnections
    },
    get connectionCount() {
      return connectionCount
    },
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? 1, seen: 0 })
    },
    clearFaults() {
      rules = []
    },
    setRateLimit(perSecond, retryAfterSeconds = 1) {
      rateLimit = perSecond === undefined ? undefined : { perSecond, retryAfterSeconds }
      accepted.length = 0
    },
    count(method, path) {
      return requests.filter(
        (request) =>
          (method === undefined || request.method === method.toUpperCase()) &&
          (path === undefined || matchesPath(path, request.path)),
      ).length
    },
    usersNamed(userName) {
      return [...users.values()].filter(
        (user) => String(user['userName']).toLowerCase() === userName.toLowerCase(),
      )
    },
    reset() {
      users.clear()
      groups.clear()
      rules = []
      rateLimit = undefined
      requests.length = 0
      maxOpenConnections = sockets.size
      connectionCount = 0
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function matchesPath(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path)
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(''))
  })
}

function scimError(
  status: number,
  detail: string,
  scimType?: string,
  headers: Record<string, string> = {},
): Answer {
  const body = { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail }
  return { status, headers: { 'content-type': SCIM_JSON, ...headers }, body: JSON.stringify(body) }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': SCIM_JSON, ...headers }, body: JSON.stringify(body) }
}

interface Store {
  users: Map<string, StoredResource>
  groups: Map<string, StoredResource>
  enforceUniqueness: boolean
  origin(): string
  basePath: string
}

interface Collection {
  name: 'Users' | 'Groups'
  resources: Map<string, StoredResource>
  schema: string
  /** The attribute that names a resource and must be unique. */
  key: 'userName' | 'displayName'
  filterable: Record<string, boolean>
}

function handleScim(
  store: Store,
  token: string,
  method: string,
  path: string,
  query: URLSearchParams,
  headers: http.IncomingHttpHeaders,
  body: string,
): Answer {
  try {
    if (headers.authorization !== `Bearer ${token}`) {
      return scimError(401, 'missing or invalid bearer token', undefined, { 'www-authenticate': 'Bearer' })
    }
    const match = /^\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(path)
    if (!match) throw new ScimProblem(404, `no endpoint ${path}`)
    const collection = collectionOf(store, match[1] as 'Users' | 'Groups')
    const id = match[2] === undefined ? undefined : decodeURIComponent(match[2])
    if (id === undefined) {
      if (method === 'GET') return json(200, list(collection, query))
      if (method === 'POST') return create(store, collection, parseBody(body))
      throw new ScimProblem(405, `${method} not allowed on /${collection.name}`)
    }
    const resource = collection.resources.get(id)
    if (!resource) throw new ScimProblem(404, `${collection.name} ${id} not found`)
    switch (method) {
      case 'GET':
        return json(200, present(collection, resource, query))
      case 'PUT':
        return replace(store, collection, resource, parseBody(body))
      case 'PATCH':
        return patch(store, collection, resource, parseBody(body))
      case 'DELETE':
        collection.resources.delete(id)
        if (collection.name === 'Users') removeMember(store.groups, id)
        return { status: 204 }
      default:
        throw new ScimProblem(405, `${method} not allowed on /${collection.name}/{id}`)
    }
  } catch (error) {
    if (error instanceof ScimProblem) return scimError(error.status, error.message, error.scimType)
    return scimError(500, 'internal error')
  }
}

function collectionOf(store: Store, name: 'Users' | 'Groups'): Collection {
  return name === 'Users'
    ? {
        name,
        resources: store.users,
        schema: USER,
        key: 'userName',
        filterable: { username: false, externalid: true },
      }
    : {
        name,
        resources: store.groups,
        schema: GROUP,
        key: 'displayName',
        filterable: { displayname: false, externalid: true },
      }
}

function parseBody(body: string): StoredResource {
  try {
    const value: unknown = JSON.parse(body)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as StoredResource
  } catch {
    // Falls through to the error below.
  }
  throw new ScimProblem(400, 'the body is not a JSON object', 'invalidSyntax')
}

function list(collection: Collection, query: URLSearchParams): unknown {
  let found = [...collection.resources.values()]
  const filter = query.get('filter')
  if (filter !== null) {
    const parsed = /^\s*([A-Za-z][\w.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter)
    const attribute = parsed?.[1]
    const caseExact = attribute === undefined ? undefined : collection.filterable[attribute.toLowerCase()]
    if (!parsed || attribute === undefined || caseExact === undefined) {
      throw new ScimProblem(400, `unsupported filter: ${filter}`, 'invalidFilter')
    }
    const wanted = JSON.parse(`"${parsed[2]}"`) as string
    const key = attribute.toLowerCase() === 'externalid' ? 'externalId' : collection.key
    found = found.filter((resource) => {
      const value = resource[key]
      if (typeof value !== 'string') return false
      return caseExact ? value === wanted : value.toLowerCase() === wanted.toLowerCase()
    })
  }
  const startIndex = Math.max(1, Number(query.get('startIndex') ?? 1) || 1)
  const count = query.get('count') === null ? found.length : Math.max(0, Number(query.get('count')) || 0)
  const page = found.slice(startIndex - 1, startIndex - 1 + count)
  return {
    schemas: [LIST],
    totalResults: found.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map((resource) => present(collection, resource, query)),
  }
}

function present(collection: Collection, resource: StoredResource, query: URLSearchParams): StoredResource {
  const copy = structuredClone(resource)
  const excluded = (query.get('excludedAttributes') ?? '').toLowerCase().split(',')
  if (collection.name === 'Groups' && excluded.includes('members')) delete copy['members']
  return copy
}

function assertUnique(store: Store, collection: Collection, value: unknown, exceptId?: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new ScimProblem(400, `${collection.key} is required`, 'invalidValue')
  }
  if (!store.enforceUniqueness) return
  for (const other of collection.resources.values()) {
    if (other.id !== exceptId && String(other[collection.key]).toLowerCase() === value.toLowerCase()) {
      throw new ScimProblem(409, `${collection.key} "${value}" is already taken`, 'uniqueness')
    }
  }
}

function create(store: Store, collection: Collection, body: StoredResource): Answer {
  assertUnique(store, collection, body[collection.key])
  const id = randomUUID()
  const now = new Date().toISOString()
  const resource: StoredResource = {
    ...body,
    schemas: Array.isArray(body['schemas']) ? body['schemas'] : [collection.schema],
    id,
    meta: {
      resourceType: collection.name === 'Users' ? 'User' : 'Group',
      created: now,
      lastModified: now,
      location: `${store.origin()}${store.basePath}/${collection.name}/${id}`,
    },
  }
  collection.resources.set(id, resource)
  return json(201, resource, { location: resource['meta'].location })
}

function replace(
  store: Store,
  collection: Collection,
  resource: StoredResource,
  body: StoredResource,
): Answer {
  assertUnique(store, collection, body[collection.key], resource.id)
  const next: StoredResource = { ...body, id: resource.id, meta: touched(resource) }
  collection.resources.set(resource.id, next)
  return json(200, next)
}

function patch(store: Store, collection: Collection, resource: StoredResource, body: StoredResource): Answer {
  const operations: unknown = body['Operations']
  if (!Array.isArray(body['schemas']) || !body['schemas'].includes(PATCH_OP) || !Array.isArray(operations)) {
    throw new ScimProblem(400, 'not a PatchOp request', 'invalidSyntax')
  }
  const next = structuredClone(resource)
  for (const operation of operations) applyOperation(next, operation)
  assertUnique(store, collection, next[collection.key], resource.id)
  next['meta'] = touched(resource)
  collection.resources.set(resource.id, next)
  return json(200, next)
}

function touched(resource: StoredResource): StoredResource {
  return { ...resource['meta'], lastModified: new Date().toISOString() }
}

// biome-ignore lint/suspicious/noExplicitAny: PATCH walks arbitrary JSON
type Json = any

function applyOperation(resource: StoredResource, operation: Json): void {
  const op = String(operation?.op ?? '').toLowerCase()
  if (op !== 'add' && op !== 'replace' && op !== 'remove')
    throw new ScimProblem(400, `bad op ${operation?.op}`, 'invalidSyntax')
  const path: unknown = operation.path
  if (path === undefined || path === '') {
    if (op === 'remove') throw new ScimProblem(400, 'remove needs a path', 'noTarget')
    if (typeof operation.value !== 'object' || operation.value === null) {
      throw new ScimProblem(400, 'a PATCH without path needs an object value', 'invalidValue')
    }
    for (const [name, value] of Object.entries(operation.value as Record<string, unknown>)) {
      setAttribute(resource, name, value, op)
    }
    return
  }
  if (typeof path !== 'string') throw new ScimProblem(400, 'path must be a string', 'invalidPath')
  const { container, rest } = splitUrn(resource, path)
  const parsed =
    /^([A-Za-z$][\w$]*)(?:\[\s*([A-Za-z][\w]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\])?(?:\.([A-Za-z][\w]*))?$/.exec(
      rest,
    )
  if (!parsed) throw new ScimProblem(400, `unsupported path ${path}`, 'invalidPath')
  const [, attribute = '', filterAttribute, filterValue, sub] = parsed
  const name = keyOf(container, attribute)
  if (filterAttribute === undefined) {
    if (sub === undefined) {
      if (op === 'remove') delete container[name]
      else setAttribute(container, name, operation.value, op)
      return
    }
    container[name] ??= {}
    const complex = container[name]
    if (op === 'remove') delete complex[keyOf(complex, sub)]
    else complex[keyOf(complex, sub)] = operation.value
    return
  }
  const wanted = JSON.parse(`"${filterValue}"`) as string
  const elements: Json[] = Array.isArray(container[name]) ? container[name] : []
  const matches = (element: Json) => String(element?.[filterAttribute]).toLowerCase() === wanted.toLowerCase()
  if (sub === undefined) {
    if (op === 'remove') container[name] = elements.filter((element) => !matches(element))
    else container[name] = [...elements.filter((element) => !matches(element)), ...[operation.value].flat()]
    return
  }
  const element = elements.find(matches)
  if (op === 'remove') {
    if (element) delete element[sub]
    return
  }
  if (element) element[sub] = operation.value
  else elements.push({ [filterAttribute]: wanted, [sub]: operation.value })
  container[name] = elements
}

/** `add` appends to multi-valued attributes (members, emails) without repeating a value; `replace` sets. */
function setAttribute(container: Json, attribute: string, value: unknown, op: string): void {
  if (attribute.startsWith('urn:') && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    container[attribute] = { ...(container[attribute] ?? {}), ...value }
    return
  }
  const name = keyOf(container, attribute)
  if (op === 'add' && Array.isArray(value) && Array.isArray(container[name])) {
    const present = new Set(container[name].map((element: Json) => JSON.stringify(element?.value ?? element)))
    for (const element of value)
      if (!present.has(JSON.stringify(element?.value ?? element))) container[name].push(element)
    return
  }
  container[name] = value
}

/** A path with a schema URN prefix addresses that extension's object (or the core resource). */
function splitUrn(resource: StoredResource, path: string): { container: Json; rest: string } {
  if (!path.toLowerCase().startsWith('urn:')) return { container: resource, rest: path }
  const colon = path.lastIndexOf(':')
  const urn = path.slice(0, colon)
  const rest = path.slice(colon + 1)
  if (urn === USER || urn === GROUP) return { container: resource, rest }
  resource[urn] ??= {}
  return { container: resource[urn], rest }
}

function keyOf(container: Json, name: string): string {
  return Object.keys(container ?? {}).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name
}

function removeMember(groups: Map<string, StoredResource>, userId: string): void {
  for (const group of groups.values()) {
    if (Array.isArray(group['members']))
      group['members'] = group['members'].filter((member: Json) => member?.value !== userId)
  }
}
