import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database } from './database.js'

/**
 * One page of a tenant's users or groups and the number matching the filter (RFC 7644 §3.4.2.4).
 * `readPage` reads the page; the COUNT runs only when the page cannot tell: a first page that is not
 * full is also the total (the RFC promises no snapshot across the page and the count anyway).
 */
export async function pageWithTotal<Row>(
  db: Kysely<Database>,
  table: 'users' | 'groups',
  tenantId: string,
  where: RawBuilder<SqlBool> | undefined,
  page: { offset: number; count: number },
  readPage: () => Promise<Row[]>,
): Promise<{ totalResults: number; rows: Row[] }> {
  const rows = page.count === 0 ? [] : await readPage()
  if (page.offset === 0 && rows.length < page.count) return { totalResults: rows.length, rows }
  const filter = where ? sql`and ${where}` : sql``
  const { rows: counted } = await sql<{ total: number | bigint }>`
    select count(*) as total from ${sql.table(table)} where ${sql.ref(`${table}.tenant_id`)} = ${tenantId} ${filter}`.execute(
    db,
  )
  return { totalResults: Number(counted[0]?.total ?? 0), rows }
}
