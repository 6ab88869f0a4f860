import type { Operation } from '../lib/types'

const LABELS: Record<Operation, string> = {
  create: 'Create',
  replace: 'Replace',
  patch: 'Update',
  delete: 'Delete',
}

/** The SCIM write kind, coloured so a column of them scans quickly. */
export function OperationBadge({ operation }: { operation: Operation }) {
  return <span className={`badge op op-${operation}`}>{LABELS[operation] ?? operation}</span>
}
