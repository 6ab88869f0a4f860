/**
 * The admin API's failures, each with a stable `code` (docs/admin-api.md) and its HTTP status.
 * The console and the API share them; http/api/api-errors.ts is the one place that writes them.
 */
export type ConsoleErrorCode =
  | 'invalidValue'
  | 'invalidJson'
  | 'invalidCredentials'
  | 'notAuthenticated'
  | 'forbidden'
  | 'csrf'
  | 'notFound'
  | 'conflict'
  | 'gone'
  | 'unsupportedMediaType'
  | 'payloadTooLarge'
  | 'tooManyRequests'
  | 'unavailable'
  | 'internal'

const STATUS: Record<ConsoleErrorCode, number> = {
  invalidValue: 400,
  invalidJson: 400,
  invalidCredentials: 401,
  notAuthenticated: 401,
  forbidden: 403,
  csrf: 403,
  notFound: 404,
  conflict: 409,
  gone: 410,
  unsupportedMediaType: 415,
  payloadTooLarge: 413,
  tooManyRequests: 429,
  unavailable: 503,
  internal: 500,
}

export class ConsoleError extends Error {
  override name = 'ConsoleError'
  readonly code: ConsoleErrorCode
  readonly status: number
  /** The request field at fault (invalidValue). */
  readonly field: string | undefined
  /** Seconds, for 429 and 503. */
  readonly retryAfter: number | undefined

  constructor(
    code: ConsoleErrorCode,
    detail: string,
    options: { field?: string; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = STATUS[code]
    this.field = options.field
    this.retryAfter = options.retryAfter
  }

  toBody(): { status: number; code: ConsoleErrorCode; detail: string; field?: string } {
    return {
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
    }
  }
}

/** 400 naming the field: `field: what is wrong`. */
export function invalidValue(field: string, problem: string): ConsoleError {
  return new ConsoleError('invalidValue', `${field}: ${problem}`, { field })
}

export function notFound(detail: string): ConsoleError {
  return new ConsoleError('notFound', detail)
}

export function forbidden(detail: string): ConsoleError {
  return new ConsoleError('forbidden', detail)
}

export function conflict(detail: string): ConsoleError {
  return new ConsoleError('conflict', detail)
}
