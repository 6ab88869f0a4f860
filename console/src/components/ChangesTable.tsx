import { formatValue } from '../lib/format'
import type { Change } from '../lib/types'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:'

/** The enterprise URN is long and always the same: shown as `enterprise:…` (the full name is the title). */
function shortAttribute(attribute: string): string {
  return attribute.startsWith(ENTERPRISE) ? `enterprise:${attribute.slice(ENTERPRISE.length)}` : attribute
}

/** Attribute changes of one SCIM write, old → new. */
export function ChangesTable({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return <p className="muted small">No attribute changes recorded.</p>
  return (
    <table className="changes">
      <colgroup>
        <col className="col-attribute" />
        <col />
        <col className="col-arrow" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          <th scope="col">Old</th>
          <th scope="col">
            <span className="visually-hidden">becomes</span>
          </th>
          <th scope="col">New</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change, index) => (
          // Changes have no id; the same attribute can appear twice in one write.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is never reordered
          <tr key={index}>
            <th scope="row" className="mono-small" title={change.attribute}>
              {shortAttribute(change.attribute)}
            </th>
            <td className="old">{formatValue(change.old)}</td>
            <td aria-hidden="true" className="arrow">
              →
            </td>
            <td className="new">{formatValue(change.new)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
