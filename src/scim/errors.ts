/**
 * SCIM protocol errors (RFC 7644 §3.12). Every client mistake becomes one of these; the HTTP layer
 * maps them to the wire format in one place. `code` is stable and documented in docs/errors.md.
 */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

export type ScimErrorCode =
  | 'ERR_SCIM_INVALID_FILTER'
  | 'ERR_SCIM_TOO_MANY'
  | 'ERR_SCIM_UNIQUENESS'
  | 'ERR_SCIM_MUTABILITY'
  | 'ERR_SCIM_INVALID_SYNTAX'
  | 'ERR_SCIM_INVALID_PATH'
  | 'ERR_SCIM_NO_TARGET'
  | 'ERR_SCIM_INVALID_VALUE'
  | 'ERR_SCIM_UNAUTHORIZED'
  | 'ERR_SCIM_FORBIDDEN'
  | 'ERR_SCIM_NOT_FOUND'
  | 'ERR_SCIM_PRECONDITION_FAILED'
  | 'ERR_SCIM_PAYLOAD_TOO_LARGE'
  | 'ERR_SCIM_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_SCIM_METHOD_NOT_ALLOWED'
  | 'ERR_SCIM_RATE_LIMITED'
  | 'ERR_SCIM_UNAVAILABLE'
  | 'ERR_SCIM_INTERNAL'

const SCIM_TYPE_CODES: Record<ScimType, ScimErrorCode> = {
  invalidFilter: 'ERR_SCIM_INVALID_FILTER',
  tooMany: 'ERR_SCIM_TOO_MANY',
  uniqueness: 'ERR_SCIM_UNIQUENESS',
  mutability: 'ERR_SCIM_MUTABILITY',
  invalidSyntax: 'ERR_SCIM_INVALID_SYNTAX',
  invalidPath: 'ERR_SCIM_INVALID_PATH',
  noTarget: 'ERR_SCIM_NO_TARGET',
  invalidValue: 'ERR_SCIM_INVALID_VALUE',
  invalidVers: 'ERR_SCIM_INVALID_SYNTAX',
  sensitive: 'ERR_SCIM_INVALID_SYNTAX',
}

const STATUS_CODES: Partial<Record<number, ScimErrorCode>> = {
  401: 'ERR_SCIM_UNAUTHORIZED',
  403: 'ERR_SCIM_FORBIDDEN',
  404: 'ERR_SCIM_NOT_FOUND',
  405: 'ERR_SCIM_METHOD_NOT_ALLOWED',
  412: 'ERR_SCIM_PRECONDITION_FAILED',
  413: 'ERR_SCIM_PAYLOAD_TOO_LARGE',
  415: 'ERR_SCIM_UNSUPPORTED_MEDIA_TYPE',
  429: 'ERR_SCIM_RATE_LIMITED',
  503: 'ERR_SCIM_UNAVAILABLE',
}

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA]
  status: string
  scimType?: ScimType
  detail: string
}

export class ScimError extends Error {
  readonly status: number
  readonly scimType: ScimType | undefined
  readonly code: ScimErrorCode

  constructor(status: number, scimType: ScimType | undefined, detail: string, options?: { cause?: unknown }) {
    super(detail, options)
    this.name = 'ScimError'
    this.status = status
    this.scimType = scimType
    this.code = scimType ? SCIM_TYPE_CODES[scimType] : (STATUS_CODES[status] ?? 'ERR_SCIM_INTERNAL')
  }

  get detail(): string {
    return this.message
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      detail: this.message,
    }
    if (this.scimType) body.scimType = this.scimType
    return body
  }
}

/** 400 with a scimType: the common shape of every malformed request. */
export function badRequest(scimType: ScimType, detail: string): ScimError {
  return new ScimError(400, scimType, detail)
}

export function notFound(detail: string): ScimError {
  return new ScimError(404, undefined, detail)
}

export function conflict(detail: string): ScimError {
  return new ScimError(409, 'uniqueness', detail)
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError
}
