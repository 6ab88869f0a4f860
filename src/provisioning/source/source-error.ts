import type { SourceIssue } from './connector.js'

/**
 * A source that cannot be read. `ERR_SOURCE_INVALID` carries every error found (not just the first),
 * so one fix-and-retry round repairs a whole file.
 */
export type SourceErrorCode = 'ERR_SOURCE_UNREADABLE' | 'ERR_SOURCE_INVALID' | 'ERR_SOURCE_WATERMARK_EXPIRED'

/** How many issues the message lists; the rest stay in `issues`. */
const LISTED_ISSUES = 20

export class SourceError extends Error {
  readonly code: SourceErrorCode
  readonly issues: readonly SourceIssue[]

  constructor(code: SourceErrorCode, message: string, issues: readonly SourceIssue[] = [], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'SourceError'
    this.code = code
    this.issues = issues
  }

  /** `ERR_SOURCE_INVALID` with a message listing the errors, one per line. */
  static invalid(description: string, issues: readonly SourceIssue[]): SourceError {
    const errors = issues.filter((issue) => issue.severity === 'error')
    const lines = errors.slice(0, LISTED_ISSUES).map((issue) => `  ${formatSourceIssue(issue)}`)
    if (errors.length > LISTED_ISSUES) lines.push(`  … and ${errors.length - LISTED_ISSUES} more`)
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`
    return new SourceError('ERR_SOURCE_INVALID', `${description} has ${count}:\n${lines.join('\n')}`, issues)
  }
}

/** `file:line[:column]: users[3] (id "u-7"), field manager: message`, without the unknown parts. */
export function formatSourceIssue(issue: SourceIssue): string {
  const where = [issue.file, issue.line, issue.line === undefined ? undefined : issue.column]
    .filter((part) => part !== undefined)
    .join(':')
  const what = [issue.object, issue.field === undefined ? undefined : `field ${issue.field}`]
    .filter((part) => part !== undefined)
    .join(', ')
  return [where, what, issue.message].filter((part) => part !== '').join(': ')
}
