import { type SelectQueryBuilder, sql } from 'kysely'
import type { Database, Db, UserTable } from './database.js'
import { PERSON_SUMMARY_COLUMNS } from './person-summary-columns.js'

export type OrgNodeRow = Pick<
  UserTable,
  'id' | 'user_name' | 'display_name' | 'given_name' | 'family_name' | 'title' | 'department' | 'manager_id'
> & { report_count: number }

/** Employees with the number of their direct reports (one probe of the manager index each). */
function selectNodes(db: Db): SelectQueryBuilder<Database, 'users', OrgNodeRow> {
  return db
    .selectFrom('users')
    .select(PERSON_SUMMARY_COLUMNS)
    .select((eb) =>
      eb
        .selectFrom('users as report')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('report.tenant_id', '=', 'users.tenant_id')
        .whereRef('report.manager_id', '=', 'users.id')
        .as('report_count'),
    ) as unknown as SelectQueryBuilder<Database, 'users', OrgNodeRow>
}

export async function findDirectReportNodes(
  db: Db,
  tenantId: string,
  managerId: string,
): Promise<OrgNodeRow[]> {
  return selectNodes(db)
    .where('users.tenant_id', '=', tenantId)
    .where('users.manager_id', '=', managerId)
    .execute()
}

/**
 * The top of the chart: employees without a manager, and those whose manager is not in the
 * directory (the directory clears references on delete, so the second set is normally empty).
 */
export async function findRootNodes(db: Db, tenantId: string): Promise<OrgNodeRow[]> {
  return selectNodes(db)
    .where('users.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb('users.manager_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('users as manager')
              .select(sql.lit(1).as('one'))
              .whereRef('manager.tenant_id', '=', 'users.tenant_id')
              .whereRef('manager.id', '=', 'users.manager_id'),
          ),
        ),
      ]),
    )
    .execute()
}

export async function findOrgNode(db: Db, tenantId: string, id: string): Promise<OrgNodeRow | undefined> {
  return selectNodes(db).where('users.tenant_id', '=', tenantId).where('users.id', '=', id).executeTakeFirst()
}
