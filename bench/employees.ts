import { ENTERPRISE_USER_SCHEMA } from '../src/scim/schema/enterprise-user.js'
import { USER_SCHEMA } from '../src/scim/schema/user.js'

/**
 * Realistic employees, as Microsoft Entra ID provisions them with its default attribute mappings:
 * UPN userName, name, work email, E.164 work phone, title and the enterprise extension.
 */
const GIVEN = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis']
const FAMILY = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
]
const TITLES = ['Engineer', 'Senior Engineer', 'Designer', 'Accountant', 'Recruiter', 'Analyst', 'Team Lead']
const DEPARTMENTS = ['Engineering', 'Design', 'Finance', 'People', 'Sales', 'Support', 'Legal', 'Marketing']
const DIVISIONS = ['Product', 'Operations', 'Go-to-market']

export interface EmployeeOptions {
  /** Mail domain of the tenant; userNames are unique per tenant. */
  domain: string
  /** Tag that keeps userNames of different runs (e.g. POSTed ones) apart from seeded ones. */
  tag?: string
  managerId?: string
}

export function employeeUserName(n: number, options: EmployeeOptions): string {
  const given = GIVEN[n % GIVEN.length]
  const family = FAMILY[n % FAMILY.length]
  return `${given}.${family}.${options.tag ?? ''}${n}@${options.domain}`.toLowerCase()
}

/** The SCIM body of employee `n` (what an identity provider POSTs). */
export function employeeBody(n: number, options: EmployeeOptions): Record<string, unknown> {
  const givenName = GIVEN[n % GIVEN.length] as string
  const familyName = FAMILY[n % FAMILY.length] as string
  const userName = employeeUserName(n, options)
  const enterprise: Record<string, unknown> = {
    employeeNumber: `E${String(n).padStart(7, '0')}`,
    department: DEPARTMENTS[n % DEPARTMENTS.length],
    costCenter: `CC-${1000 + (n % 50)}`,
    division: DIVISIONS[n % DIVISIONS.length],
    organization: 'Contoso',
  }
  if (options.managerId) enterprise.manager = { value: options.managerId }
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    externalId: `${givenName}${familyName}${options.tag ?? ''}${n}`,
    userName,
    active: true,
    displayName: `${givenName} ${familyName}`,
    name: { givenName, familyName, formatted: `${givenName} ${familyName}` },
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: `+1617555${String(n % 10_000).padStart(4, '0')}`, type: 'work' }],
    title: TITLES[n % TITLES.length],
    [ENTERPRISE_USER_SCHEMA]: enterprise,
  }
}
