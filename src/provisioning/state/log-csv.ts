import { csvLine } from '../../csv/rfc4180.js'
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
 * Cells a spreadsheet would run as a formula get a leading apostrophe (csv/rfc4180.ts).
 */
export function logEntriesToCsv(entries: readonly LogEntry[]): string {
  const rows = entries.map((entry) =>
    csvLine(
      COLUMNS.map((column) => {
        const value = entry[column]
        return typeof value === 'object' && value !== null ? JSON.stringify(value) : value
      }),
    ),
  )
  return csvLine(COLUMNS) + rows.join('')
}
