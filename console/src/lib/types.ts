// Shapes of the /api answers, as scratch/console-contract.md defines them.

export type Role = 'owner' | 'admin' | 'viewer'
export type Scope = 'scim' | 'api'

export interface Session {
  account: { id: string; email: string; displayName: string; role: Role }
  tenant: { id: string; slug: string; name: string }
  csrfToken: string
  scimUrl: string
}

export interface SetupInfo {
  tenant: { slug: string; name: string }
  role: Role
  email: string | null
}

export interface Account {
  id: string
  email: string
  displayName: string
  role: Role
  createdAt: string
  lastLoginAt: string | null
}

export interface AccessToken {
  id: string
  name: string
  description: string | null
  scopes: Scope[]
  createdBy: { id: string; displayName: string } | null
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
  status: 'active' | 'revoked'
}

export interface EmployeeSummary {
  id: string
  userName: string
  displayName: string | null
  givenName: string | null
  familyName: string | null
  title: string | null
  department: string | null
  manager: { id: string; displayName: string } | null
  active: boolean
  lastModified: string
}

export interface EmployeePage {
  total: number
  page: number
  pageSize: number
  items: EmployeeSummary[]
}

export interface PersonRef {
  id: string
  displayName: string
  userName: string
  title?: string | null
}

export interface Change {
  attribute: string
  old: unknown
  new: unknown
}

export type Operation = 'create' | 'replace' | 'patch' | 'delete'

export interface ActivityItem {
  seq: number
  at: string
  operation: Operation
  resourceType: string
  resourceId: string
  resourceName: string | null
  token: { id: string; name: string } | null
  requestId: string | null
  outcome: 'success' | 'failure'
  status: number
  detail: string | null
  changes: Change[]
}

export interface ActivityPage {
  items: ActivityItem[]
  nextBefore: number | null
}

export interface EmployeeDetail extends Omit<EmployeeSummary, 'manager'> {
  resource: Record<string, unknown>
  manager: PersonRef | null
  directReports: PersonRef[]
  groups: { id: string; displayName: string }[]
  history: ActivityItem[]
}

export interface OrgItem {
  id: string
  displayName: string
  userName: string
  title: string | null
  department: string | null
  reportCount: number
}
