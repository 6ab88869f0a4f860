import { badRequest } from '../../scim/errors.js'
import type { AttributePath, Filter } from '../../scim/filter/ast.js'
import { parseFilter } from '../../scim/filter/parse-filter.js'
import { parseAttributeList, parseAttributePath } from '../../scim/filter/parse-path.js'

/** A list or .search request (RFC 7644 §3.4.2 and §3.4.3), validated. */
export interface ListRequest {
  filter?: Filter
  sortBy?: AttributePath
  sortOrder: 'ascending' | 'descending'
  startIndex: number
  count: number
  attributes?: AttributePath[]
  excludedAttributes?: AttributePath[]
}

export interface Projection {
  attributes?: AttributePath[]
  excludedAttributes?: AttributePath[]
}

type Params = Record<string, unknown>

/** Query parameter names are matched case-insensitively; Entra and Okta spell them consistently, other clients don't. */
function pick(params: Params, name: string): unknown {
  if (Object.hasOwn(params, name)) return params[name]
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(params)) if (key.toLowerCase() === wanted) return value
  return undefined
}

function text(params: Params, name: string): string | undefined {
  const value = pick(params, name)
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) {
    if (name === 'attributes' || name === 'excludedAttributes') return value.map(String).join(',')
    throw badRequest('invalidValue', `${name} may be given once`)
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw badRequest('invalidValue', `${name} must be a string`)
  }
  return String(value)
}

function integer(params: Params, name: string): number | undefined {
  const value = text(params, name)
  if (value === undefined || value.trim() === '') return undefined
  if (!/^\s*-?\d+\s*$/.test(value))
    throw badRequest('invalidValue', `${name} must be an integer, got "${value}"`)
  return Number.parseInt(value, 10)
}

export function parseProjection(params: Params): Projection {
  const projection: Projection = {}
  for (const name of ['attributes', 'excludedAttributes'] as const) {
    const value = text(params, name)
    if (value === undefined || value.trim() === '') continue
    const parsed = parseAttributeList(value)
    if (!parsed.ok) throw badRequest('invalidValue', `${name}: ${parsed.error.message}`)
    projection[name] = parsed.value
  }
  return projection
}

export function parseListRequest(params: Params, maxPageSize: number): ListRequest {
  const request: ListRequest = {
    sortOrder: 'ascending',
    startIndex: 1,
    count: maxPageSize,
    ...parseProjection(params),
  }
  const filter = text(params, 'filter')
  if (filter !== undefined) {
    const parsed = parseFilter(filter)
    if (!parsed.ok) throw parsed.error
    request.filter = parsed.value
  }
  const sortBy = text(params, 'sortBy')
  if (sortBy !== undefined && sortBy.trim() !== '') {
    const parsed = parseAttributePath(sortBy.trim())
    if (!parsed.ok) throw badRequest('invalidValue', `sortBy: ${parsed.error.message}`)
    request.sortBy = parsed.value
  }
  const sortOrder = text(params, 'sortOrder')
  if (sortOrder !== undefined) {
    const order = sortOrder.trim().toLowerCase()
    if (order !== 'ascending' && order !== 'descending') {
      throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending", got "${sortOrder}"`)
    }
    request.sortOrder = order
  }
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
  request.startIndex = Math.max(1, integer(params, 'startIndex') ?? 1)
  const count = integer(params, 'count')
  if (count !== undefined) {
    if (count > maxPageSize) {
      throw badRequest('tooMany', `count: at most ${maxPageSize} resources per page; page with startIndex`)
    }
    request.count = Math.max(0, count)
  }
  return request
}

/** A POST …/.search body (RFC 7644 §3.4.3): the same parameters as a query string, as a JSON object. */
export function parseSearchRequest(body: unknown, maxPageSize: number): ListRequest {
  const request = body ?? {}
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw badRequest('invalidSyntax', 'a .search body must be a JSON object (RFC 7644 §3.4.3 SearchRequest)')
  }
  return parseListRequest(request as Params, maxPageSize)
}
