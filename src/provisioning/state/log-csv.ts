import type { LogEntry } from './log-repository.js'

const COLUMNS = [
  'id',
  'at',
  'cycleId',
  'objectType',
  'sourceId',
  'displayName',
  'targetId',
  'action',
  'status',
  'errorCode',
  'message',
  'modified',
  'steps',
  'durationMs',
] as const

/**
 * Log entries as one CSV file (RFC 4180: quoted fields, doubled quotes, CRLF): where Entra splits a
 * download into three files joined by changeId, steps and modified properties stay in their row as JSON.
 * Cells that a spreadsheet would run as a formula (= + - @) get a leading apostrophe.
 */
export function logEntriesToCsv(entries: readonly LogEntry[]): string {
  const lines = [COLUMNS.join(',')]
  for (const entry of entries) {
    lines.push(
      COLUMNS.map((column) => {
        const value = entry[column]
        return cell(typeof value === 'object' && value !== null ? JSON.stringify(value) : value)
      }).join(','),
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (/^[=+\-@]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
