import { Link } from '../../components/Link'
import { humanize } from '../../lib/format'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
/** Shown elsewhere on the page (groups, header) or only bookkeeping. */
const SKIP = new Set(['schemas', 'groups', 'meta'])
/** Columns first in a multi-valued attribute's table; the rest follow in their order. */
const LEAD_COLUMNS = ['value', 'display', 'type', 'primary']

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** Every attribute of the SCIM User as GET /scim/v2/Users/:id returns it, extensions in their own sections. */
export function ResourceView({ resource }: { resource: Record<string, unknown> }) {
  const entries = Object.entries(resource as Record<string, Json>)
  const core = entries.filter(([key]) => !SKIP.has(key) && !key.startsWith('urn:'))
  const extensions = entries.filter(([key]) => key.startsWith('urn:'))
  const meta = resource['meta'] as Record<string, Json> | undefined
  return (
    <div className="resource">
      <Attributes entries={core} />
      {extensions.map(([urn, value]) => (
        <section key={urn} className="resource-section">
          <h3>{urn === ENTERPRISE ? 'Enterprise' : urn}</h3>
          {isObject(value) ? <Attributes entries={Object.entries(value)} /> : <p>{text(value)}</p>}
        </section>
      ))}
      {meta === undefined ? null : (
        <section className="resource-section">
          <h3>Record</h3>
          <Attributes entries={Object.entries(meta)} />
        </section>
      )}
      <details className="raw">
        <summary>SCIM JSON</summary>
        <pre>{JSON.stringify(resource, null, 2)}</pre>
      </details>
    </div>
  )
}

function Attributes({ entries }: { entries: [string, Json][] }) {
  return (
    <dl className="attributes">
      {entries.map(([key, value]) => (
        <div key={key} className="attribute">
          <dt>{humanize(key)}</dt>
          <dd>
            <Value name={key} value={value} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function Value({ name, value }: { name: string; value: Json }) {
  // The enterprise manager is a reference: link to it.
  if (name === 'manager' && isObject(value) && typeof value['value'] === 'string') {
    const label = typeof value['displayName'] === 'string' ? value['displayName'] : value['value']
    return <Link href={`/employees/${encodeURIComponent(value['value'])}`}>{label}</Link>
  }
  if (Array.isArray(value)) {
    if (value.every(isObject)) return <MultiValued items={value as { [key: string]: Json }[]} />
    return <>{value.map(text).join(', ')}</>
  }
  if (isObject(value)) return <Attributes entries={Object.entries(value)} />
  return <>{text(value)}</>
}

function MultiValued({ items }: { items: { [key: string]: Json }[] }) {
  const seen = new Set(items.flatMap((item) => Object.keys(item)))
  const columns = [
    ...LEAD_COLUMNS.filter((c) => seen.has(c)),
    ...[...seen].filter((c) => !LEAD_COLUMNS.includes(c)),
  ]
  return (
    <div className="table-wrap">
      <table className="mini">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {humanize(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: SCIM multi-valued elements have no id
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>{item[column] === undefined ? '' : text(item[column])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: Json | undefined): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
