import type { ActivityItem } from './activity-items.js'

export const ACTIVITY_CSV_HEADER = [
  'seq',
  'at',
  'operation',
  'resourceType',
  'resourceId',
  'resourceName',
  'token',
  'outcome',
  'status',
  'detail',
  'changes',
] as const

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Cells a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return)
 * get a leading apostrophe: values come from identity providers and must stay text (CSV injection).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

export function activityCsvLine(item: ActivityItem): string {
  return csvLine([
    item.seq,
    item.at,
    item.operation,
    item.resourceType,
    item.resourceId,
    item.resourceName,
    item.token ? (item.token.name ?? item.token.id) : '',
    item.outcome,
    item.status,
    item.detail,
    item.changes.length === 0 ? '' : JSON.stringify(item.changes),
  ])
}
