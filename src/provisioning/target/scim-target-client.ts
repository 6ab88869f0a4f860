/**
 * A SCIM 2.0 client for one target (tenant URL + secret token): the calls Entra makes, with typed
 * results, and every failure as a `ScimTargetError` whose category says what to do about it.
 * Requests go through an optional scheduler (the adaptive rate limiter), so pacing and back-off
 * apply to every call without the engine having to remember them.
 */
import { STATUS_CODES } from 'node:http'
import {
  isRecord,
  type ListResponse,
  listProblem,
  type NewScimResource,
  PATCH_OP_SCHEMA,
  type PatchOperation,
  resourceProblem,
  type ScimGroup,
  type ScimResource,
  type ScimUser,
  toListResponse,
} from './scim-resources.js'
import {
  categoryForStatus,
  parseRetryAfter,
  redactSecret,
  ScimTargetError,
  statusLeavesOutcomeUnknown,
} from './scim-target-error.js'
import {
  type TargetRequest,
  type TargetResponse,
  TargetTransport,
  type TargetTransportOptions,
} from './target-transport.js'

/** Runs each request when it may go: the adaptive rate limiter is one. */
export interface RequestScheduler {
  run<T>(task: () => Promise<T>): Promise<T>
}

export interface ScimTargetClientOptions extends TargetTransportOptions {
  scheduler?: RequestScheduler
}

export interface AttributeOptions {
  attributes?: string[]
  excludedAttributes?: string[]
}

export interface ListOptions extends AttributeOptions {
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex?: number
  count?: number
}

type Expectation = 'resource' | 'list' | 'resourceOrNothing' | 'nothing'

const DIRECT: RequestScheduler = { run: (task) => task() }

export class ScimTargetClient {
  readonly #transport: TargetTransport
  readonly #scheduler: RequestScheduler
  readonly #secret: string

  constructor(options: ScimTargetClientOptions) {
    this.#transport = new TargetTransport(options)
    this.#scheduler = options.scheduler ?? DIRECT
    this.#secret = options.secretToken
  }

  get tenantUrl(): string {
    return this.#transport.tenantUrl
  }

  findUsers(filter: string, options: ListOptions = {}): Promise<ListResponse<ScimUser>> {
    return this.#list<ScimUser>('/Users', filter, options)
  }

  findGroups(filter: string, options: ListOptions = {}): Promise<ListResponse<ScimGroup>> {
    return this.#list<ScimGroup>('/Groups', filter, options)
  }

  getUser(id: string, options: AttributeOptions = {}): Promise<ScimUser> {
    return this.#call(
      { method: 'GET', path: `/Users/${encodeURIComponent(id)}`, query: attributeQuery(options) },
      'resource',
    )
  }

  getGroup(id: string, options: AttributeOptions = {}): Promise<ScimGroup> {
    return this.#call(
      { method: 'GET', path: `/Groups/${encodeURIComponent(id)}`, query: attributeQuery(options) },
      'resource',
    )
  }

  createUser(user: NewScimResource): Promise<ScimUser> {
    return this.#call({ method: 'POST', path: '/Users', body: user }, 'resource')
  }

  createGroup(group: NewScimResource): Promise<ScimGroup> {
    return this.#call({ method: 'POST', path: '/Groups', body: group }, 'resource')
  }

  /** The updated user, or undefined when the target answered 204 No Content. */
  patchUser(id: string, operations: PatchOperation[]): Promise<ScimUser | undefined> {
    return this.#call(patchRequest('/Users', id, operations), 'resourceOrNothing')
  }

  /** The updated group, or undefined when the target answered 204 No Content. */
  patchGroup(id: string, operations: PatchOperation[]): Promise<ScimGroup | undefined> {
    return this.#call(patchRequest('/Groups', id, operations), 'resourceOrNothing')
  }

  async deleteUser(id: string): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/Users/${encodeURIComponent(id)}` }, 'nothing')
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/Groups/${encodeURIComponent(id)}` }, 'nothing')
  }

  /** Closes the pooled sockets. */
  close(): void {
    this.#transport.close()
  }

  #list<T extends ScimResource>(
    path: string,
    filter: string,
    options: ListOptions,
  ): Promise<ListResponse<T>> {
    const query = { filter, startIndex: options.startIndex, count: options.count, ...attributeQuery(options) }
    return this.#call({ method: 'GET', path, query }, 'list')
  }

  /** `#judge` has checked the shape `expect` names; `T` is that shape as the public method types it. */
  #call<T>(request: TargetRequest, expect: Expectation): Promise<T> {
    return this.#scheduler.run(
      async () => this.#judge(request, await this.#transport.send(request), expect) as T,
    )
  }

  #judge(request: TargetRequest, response: TargetResponse, expect: Expectation): unknown {
    const name = this.#transport.describe(request)
    const { status } = response
    if (status >= 400) throw this.#httpError(name, response)
    if (status < 200 || status >= 300) {
      const location = response.headers.location
      const where = location ? ` to ${redactSecret(location, this.#secret)}` : ''
      throw new ScimTargetError(
        `${name} → ${status} ${STATUS_CODES[status] ?? ''}${where}: redirects are not followed; use the final address as the tenant URL`,
        {
          category: 'protocol',
          request: name,
          status,
        },
      )
    }
    if (expect === 'nothing') return undefined
    if (expect === 'resourceOrNothing' && (status === 204 || response.text.trim() === '')) return undefined
    const body = this.#parse(name, response)
    const problem = expect === 'list' ? listProblem(body) : resourceProblem(body)
    if (problem) {
      throw new ScimTargetError(
        `${name} → ${status}: not a SCIM ${expect === 'list' ? 'ListResponse' : 'resource'}: ${problem}`,
        {
          category: 'protocol',
          request: name,
          status,
        },
      )
    }
    return expect === 'list' ? toListResponse(body as Record<string, unknown>) : body
  }

  #parse(name: string, response: TargetResponse): unknown {
    try {
      return JSON.parse(response.text)
    } catch {
      const type = response.headers['content-type'] ?? 'no Content-Type'
      throw new ScimTargetError(`${name} → ${response.status}: the body is not JSON (${type})`, {
        category: 'protocol',
        request: name,
        status: response.status,
        detail: this.#excerpt(response.text),
      })
    }
  }

  #httpError(name: string, response: TargetResponse): ScimTargetError {
    const { status } = response
    let scimType: string | undefined
    let detail: string | undefined
    try {
      const body: unknown = JSON.parse(response.text)
      if (isRecord(body)) {
        if (typeof body['scimType'] === 'string') scimType = body['scimType']
        if (typeof body['detail'] === 'string') detail = redactSecret(body['detail'], this.#secret)
      }
    } catch {
      detail = this.#excerpt(response.text)
    }
    const label = `${status} ${STATUS_CODES[status] ?? ''}`.trim()
    return new ScimTargetError(
      `${name} → ${label}${scimType ? ` (${scimType})` : ''}${detail ? `: ${detail}` : ''}`,
      {
        category: categoryForStatus(status),
        request: name,
        status,
        scimType,
        detail,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        outcomeUnknown: statusLeavesOutcomeUnknown(status),
      },
    )
  }

  /** The start of a non-SCIM body, on one line and without the token, for error details. */
  #excerpt(text: string): string | undefined {
    const line = text.replace(/\s+/g, ' ').trim()
    if (line === '') return undefined
    return redactSecret(line.length > 200 ? `${line.slice(0, 200)}…` : line, this.#secret)
  }
}

/** `attribute eq "value"` with the value quoted as a JSON string (RFC 7644 §3.4.2.2). */
export function equalityFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`
}

function attributeQuery(options: AttributeOptions): Record<string, string | undefined> {
  return {
    attributes: options.attributes?.join(','),
    excludedAttributes: options.excludedAttributes?.join(','),
  }
}

function patchRequest(collection: string, id: string, operations: PatchOperation[]): TargetRequest {
  return {
    method: 'PATCH',
    path: `${collection}/${encodeURIComponent(id)}`,
    body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
  }
}
