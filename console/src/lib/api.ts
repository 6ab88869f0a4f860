import { navigate } from './router'

/** An /api error body: `{ status, code, detail, field? }`; network failures get code `network`. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string | undefined

  constructor(status: number, code: string, detail: string, field?: string) {
    super(detail)
    this.status = status
    this.code = code
    this.field = field
  }
}

let csrfToken: string | undefined

/** The session's CSRF token, sent with every state-changing request. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token
}

let onUnauthenticated: (() => void) | undefined

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  body?: unknown
  /** Login, setup and the first session probe handle 401 themselves instead of redirecting. */
  allow401?: boolean
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    })
  } catch {
    throw new ApiError(0, 'network', 'Roster cannot be reached. Check your connection and try again.')
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  if (response.ok) return body as T
  const error = toApiError(response, body)
  if (response.status === 401 && !options.allow401) {
    onUnauthenticated?.()
    const here = window.location.pathname + window.location.search
    navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true })
  }
  throw error
}

function toApiError(response: Response, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const { code, detail, field } = body as { code?: unknown; detail?: unknown; field?: unknown }
    let message = typeof detail === 'string' ? detail : `Request failed (${response.status}).`
    const retryAfter = response.headers.get('retry-after')
    if (response.status === 429 && retryAfter !== null) message += ` Try again in ${retryAfter} s.`
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : 'error',
      message,
      typeof field === 'string' ? field : undefined,
    )
  }
  return new ApiError(response.status, 'error', `Request failed (${response.status}).`)
}

/** A message for any thrown value, for inline error displays. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
