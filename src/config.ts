import { z } from 'zod'

/**
 * Typed configuration from the environment (and CLI flags, which override it). Validated once at
 * start-up: a bad value stops the process with a message naming the variable, never a late crash.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const positiveInt = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be > 0`)

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'PORT must be a number' })
    .int('PORT must be a whole number')
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(8080),
  PUBLIC_URL: z.url({ error: 'PUBLIC_URL must be an absolute http(s) URL' }).optional(),
  DATABASE_URL: z.string().min(1).default('./data/roster.db'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  BODY_LIMIT: positiveInt('BODY_LIMIT').default(1_048_576),
  RATE_LIMIT_MAX: positiveInt('RATE_LIMIT_MAX').default(20_000),
  RATE_LIMIT_WINDOW_MS: positiveInt('RATE_LIMIT_WINDOW_MS').default(60_000),
  AUTH_FAILURE_LIMIT: positiveInt('AUTH_FAILURE_LIMIT').default(100),
  TRUST_PROXY: z.enum(['true', 'false'], { error: 'TRUST_PROXY must be true or false' }).default('false'),
  MAX_PAGE_SIZE: positiveInt('MAX_PAGE_SIZE')
    .max(10_000, 'MAX_PAGE_SIZE must be at most 10000')
    .default(1000),
  TOKEN_CACHE_MS: z.coerce.number().int().min(0, 'TOKEN_CACHE_MS must be >= 0').default(1000),
  // PostgreSQL's default max_connections is 100: ten nodes at the default fit with room for psql.
  DATABASE_POOL_MAX: positiveInt('DATABASE_POOL_MAX')
    .max(1000, 'DATABASE_POOL_MAX must be at most 1000')
    .default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt('DATABASE_STATEMENT_TIMEOUT_MS').default(30_000),
  AUTO_MIGRATE: z.enum(['true', 'false'], { error: 'AUTO_MIGRATE must be true or false' }).default('true'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'SHUTDOWN_TIMEOUT_MS must be a number' })
    .int('SHUTDOWN_TIMEOUT_MS must be a whole number')
    .min(0, 'SHUTDOWN_TIMEOUT_MS must be >= 0')
    .default(10_000),
  SESSION_IDLE_MINUTES: positiveInt('SESSION_IDLE_MINUTES')
    .max(525_600, 'SESSION_IDLE_MINUTES must be at most 525600 (a year)')
    .default(720),
  SETUP_LINK_DAYS: positiveInt('SETUP_LINK_DAYS').max(365, 'SETUP_LINK_DAYS must be at most 365').default(7),
  LOGIN_FAILURE_LIMIT: positiveInt('LOGIN_FAILURE_LIMIT').default(5),
})

export interface Config {
  host: string
  port: number
  /** Base URL clients reach us at; the SCIM tenant URL is `${publicUrl}/scim/v2`. */
  publicUrl: string
  /** False when publicUrl was derived from HOST and PORT (then the bound port replaces PORT=0). */
  publicUrlExplicit: boolean
  databaseUrl: string
  logLevel: (typeof LOG_LEVELS)[number]
  /** Largest accepted request body, bytes (larger → 413). */
  bodyLimit: number
  /** Requests per token per window before 429 + Retry-After. */
  rateLimit: { max: number; windowMs: number }
  /** Failed authentications per client address per rate-limit window before 429. */
  authFailureLimit: number
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (per-address limits need it). */
  trustProxy: boolean
  /** Largest `count` a list request may ask for (advertised in /ServiceProviderConfig). */
  maxPageSize: number
  /** How long a verified access token is trusted before it is looked up again (revocation delay across processes). */
  tokenCacheMs: number
  /** PostgreSQL connections per node (ignored for SQLite). */
  databasePoolMax: number
  /** PostgreSQL cancels a statement running longer than this (ignored for SQLite). */
  databaseStatementTimeoutMs: number
  /** `serve` and the admin commands apply pending migrations; when false only `roster migrate` does, and the others refuse a schema that is behind. */
  autoMigrate: boolean
  /** On SIGTERM/SIGINT, how long in-flight requests may take before their connections are cut. */
  shutdownTimeoutMs: number
  /** A console session ends after this many minutes without a request. */
  sessionIdleMinutes: number
  /** Days a setup link (first owner, invitation) stays valid. */
  setupLinkDays: number
  /** Failed console logins per (tenant, email) per 15 minutes before 429 (4× that per client address). */
  loginFailureLimit: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export type ConfigInput = Partial<Record<keyof z.input<typeof schema>, string | number | undefined>>

/** Reads configuration from `env`, with `overrides` (CLI flags) taking precedence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key as keyof ConfigInput] ?? env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`)
  }
  const c = parsed.data
  const publicUrl = (
    c.PUBLIC_URL ?? `http://${c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST}:${c.PORT}`
  ).replace(/\/+$/, '')
  return {
    host: c.HOST,
    port: c.PORT,
    publicUrl,
    publicUrlExplicit: c.PUBLIC_URL !== undefined,
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    bodyLimit: c.BODY_LIMIT,
    rateLimit: { max: c.RATE_LIMIT_MAX, windowMs: c.RATE_LIMIT_WINDOW_MS },
    authFailureLimit: c.AUTH_FAILURE_LIMIT,
    trustProxy: c.TRUST_PROXY === 'true',
    maxPageSize: c.MAX_PAGE_SIZE,
    tokenCacheMs: c.TOKEN_CACHE_MS,
    databasePoolMax: c.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
    autoMigrate: c.AUTO_MIGRATE === 'true',
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    setupLinkDays: c.SETUP_LINK_DAYS,
    loginFailureLimit: c.LOGIN_FAILURE_LIMIT,
  }
}
