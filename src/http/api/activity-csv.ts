import { csvLine } from '../../csv/rfc4180.js'
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
