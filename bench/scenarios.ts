import { mulberry32 } from '../src/provisioning/source/seeded-random.js'
import { ENTERPRISE_USER_SCHEMA } from '../src/scim/schema/enterprise-user.js'
import { employeeBody } from './employees.js'
import type { RequestSpec } from './load.js'
import type { SeededTenant } from './seed.js'

/** One kind of request, sent over and over with varying ids, names and values. */
export interface Scenario {
  key: string
  label: string
  /** Bearer token (SCIM scenarios). */
  token?: string
  /** Other request headers (a console session's cookie); may be filled in by `prepare`. */
  headers?: Record<string, string>
  /** Runs once against the started server before the smoke request (e.g. a console login). */
  prepare?(url: string): Promise<void>
  /** Required share of the hello-world rate; absent: reported only. */
  target?: number
  /** The one status every response must have. */
  status: number
  next(): RequestSpec
  /** Checks a response (from the smoke request sent before the load); returns the problem, if any. */
  check(body: unknown, request: RequestSpec): string | undefined
}

type Json = Record<string, unknown>

const SCIM = '/scim/v2'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** Cycles through `items` in a shuffled order: every item is used, in no index-friendly sequence. */
function shuffledCycle<T>(items: readonly T[], seed: number): () => T {
  const order = [...items]
  const rand = mulberry32(seed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j] as T, order[i] as T]
  }
  let next = 0
  return () => {
    const item = order[next] as T
    next = (next + 1) % order.length
    return item
  }
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function listOf(body: unknown): { totalResults: unknown; resources: Json[] } | undefined {
  if (!isJson(body) || !Array.isArray(body.Resources)) return undefined
  return { totalResults: body.totalResults, resources: body.Resources as Json[] }
}

export function helloWorldScenario(): Scenario {
  return {
    key: 'hello-world',
    label: 'Fastify hello-world (GET /)',
    status: 200,
    next: () => ({ method: 'GET', path: '/' }),
    check: (body) => (isJson(body) && body.hello === 'world' ? undefined : 'expected {"hello":"world"}'),
  }
}

export function getByIdScenario(tenant: SeededTenant): Scenario {
  const nextId = shuffledCycle(tenant.ids, 1)
  return {
    key: 'get-by-id',
    label: 'GET /Users/{id}',
    token: tenant.token,
    target: 0.35,
    status: 200,
    next: () => ({ method: 'GET', path: `${SCIM}/Users/${nextId()}` }),
    check: (body, request) =>
      isJson(body) && request.path.endsWith(`/${String(body.id)}`)
        ? undefined
        : 'the body is not the requested user',
  }
}

export function filterScenario(tenant: SeededTenant, key: string, target?: number): Scenario {
  const nextName = shuffledCycle(tenant.userNames, 2)
  return {
    key,
    label: `filter userName eq (${tenant.ids.length.toLocaleString('en-US')} users)`,
    token: tenant.token,
    ...(target === undefined ? {} : { target }),
    status: 200,
    next: () => ({
      method: 'GET',
      path: `${SCIM}/Users?filter=${encodeURIComponent(`userName eq "${nextName()}"`)}`,
    }),
    check: (body, request) => {
      const list = listOf(body)
      const wanted = /userName eq "(.*)"/.exec(decodeURIComponent(request.path))?.[1]
      return list?.totalResults === 1 && list.resources[0]?.userName === wanted
        ? undefined
        : `expected exactly the user "${wanted}"`
    },
  }
}

export function pageScenario(tenant: SeededTenant): Scenario {
  const rand = mulberry32(3)
  const lastStart = tenant.ids.length - 99
  return {
    key: 'page-100',
    label: 'GET /Users?startIndex=…&count=100',
    token: tenant.token,
    status: 200,
    next: () => ({
      method: 'GET',
      path: `${SCIM}/Users?startIndex=${1 + Math.floor(rand() * lastStart)}&count=100`,
    }),
    check: (body) => {
      const list = listOf(body)
      return list && list.resources.length === 100 && Number(list.totalResults) >= tenant.ids.length
        ? undefined
        : 'expected a page of 100 users'
    },
  }
}

/** Entra's default-mode PATCH of two attributes; every request writes new values. */
export function patchScenario(tenant: SeededTenant): Scenario {
  const nextId = shuffledCycle(tenant.ids, 4)
  let n = 0
  return {
    key: 'patch',
    label: 'PATCH /Users/{id} (Entra, 2 ops)',
    token: tenant.token,
    target: 0.15,
    status: 204,
    next: () => {
      n++
      return {
        method: 'PATCH',
        path: `${SCIM}/Users/${nextId()}`,
        body: JSON.stringify({
          schemas: [PATCH_OP],
          Operations: [
            { op: 'Replace', path: 'title', value: `T${n}` },
            { op: 'Replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: `D${n}` },
          ],
        }),
      }
    },
    check: () => undefined,
  }
}

/** New employees with userNames no other request uses. */
export function postScenario(tenant: SeededTenant): Scenario {
  let n = 0
  return {
    key: 'post',
    label: 'POST /Users',
    token: tenant.token,
    target: 0.15,
    status: 201,
    next: () => ({
      method: 'POST',
      path: `${SCIM}/Users`,
      body: JSON.stringify(employeeBody(n++, { domain: tenant.domain, tag: 'new' })),
    }),
    check: (body, request) => {
      const sent = JSON.parse(request.body ?? '{}') as Json
      return isJson(body) && body.userName === sent.userName && typeof body.id === 'string'
        ? undefined
        : 'expected the created user'
    },
  }
}
