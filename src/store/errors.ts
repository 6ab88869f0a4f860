/** True when a write failed on a unique index (SQLite and PostgreSQL spell it differently). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

/** Socket errors that mean the database server cannot be reached (or went away mid-query). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

/**
 * SQLSTATEs of a server that is down or refusing work for now: 57P01 admin_shutdown (restart,
 * pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting
 * down), 53300 too_many_connections. Class 08 (connection exception) is matched by prefix.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])

/**
 * pg raises these without a code: the pool's wait for a connection timing out, a connection
 * attempt timing out ("Connection terminated due to connection timeout"), and a connection that
 * ended while a query was running or being sent.
 */
const POOL_MESSAGES = [
  /^timeout exceeded when trying to connect$/i,
  /^Connection terminated/i,
  /^Client (has encountered a connection error|was closed) and is not queryable$/i,
]

/**
 * True when `error` says the database is unreachable or restarting rather than that the request
 * was wrong: the HTTP layer answers 503, and the same request can succeed once the server is back.
 * Looks through `cause` and AggregateError (Node reports each address it tried to connect to).
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false
  const { code, message, cause, errors } = error as {
    code?: unknown
    message?: unknown
    cause?: unknown
    errors?: unknown
  }
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true
    if (/^08[0-9A-Z]{3}$/.test(code)) return true
    // 55000 is broad (object not in prerequisite state); only its connection-time form is an outage:
    // a database closed to connections (ALTER DATABASE … ALLOW_CONNECTIONS false, maintenance).
    if (
      code === '55000' &&
      typeof message === 'string' &&
      /not currently accepting connections/i.test(message)
    )
      return true
  }
  if (typeof message === 'string' && POOL_MESSAGES.some((pattern) => pattern.test(message))) return true
  if (Array.isArray(errors) && errors.some((inner) => isConnectionFailure(inner, depth + 1))) return true
  return cause !== undefined && isConnectionFailure(cause, depth + 1)
}
