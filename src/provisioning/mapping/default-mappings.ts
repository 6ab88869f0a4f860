import type { AttributeMapping } from './attribute-mapping.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** The active flag from the soft-delete state: Entra's default expression, verbatim. */
export const ACTIVE_EXPRESSION = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'

/**
 * Default user mappings: the target attributes of Microsoft's AlexisHR provisioning tutorial,
 * fed from the Entra source attributes that Entra's SCIM defaults use (the tutorial lists targets
 * only). costCenter and division come from `employeeOrgData`, organization from companyName. The
 * tutorial has no employeeNumber, so neither do we. Source names are Microsoft Graph's; a
 * connector exposes its objects under these names.
 */
export const DEFAULT_USER_MAPPINGS: readonly AttributeMapping[] = [
  {
    target: 'userName',
    type: 'direct',
    source: 'userPrincipalName',
    applyOn: 'always',
    matching: { precedence: 1 },
  },
  { target: 'active', type: 'expression', expression: ACTIVE_EXPRESSION, applyOn: 'always' },
  { target: 'title', type: 'direct', source: 'jobTitle', applyOn: 'always' },
  { target: 'emails[type eq "work"].value', type: 'direct', source: 'mail', applyOn: 'always' },
  { target: 'name.givenName', type: 'direct', source: 'givenName', applyOn: 'always' },
  { target: 'name.familyName', type: 'direct', source: 'surname', applyOn: 'always' },
  {
    target: 'phoneNumbers[type eq "work"].value',
    type: 'direct',
    source: 'telephoneNumber',
    applyOn: 'always',
  },
  { target: `${ENTERPRISE}:manager`, type: 'direct', source: 'manager', applyOn: 'always' },
  { target: `${ENTERPRISE}:department`, type: 'direct', source: 'department', applyOn: 'always' },
  {
    target: `${ENTERPRISE}:costCenter`,
    type: 'direct',
    source: 'employeeOrgData.costCenter',
    applyOn: 'always',
  },
  { target: `${ENTERPRISE}:division`, type: 'direct', source: 'employeeOrgData.division', applyOn: 'always' },
  { target: `${ENTERPRISE}:organization`, type: 'direct', source: 'companyName', applyOn: 'always' },
]

/** Entra's default group mappings for SCIM apps. */
export const DEFAULT_GROUP_MAPPINGS: readonly AttributeMapping[] = [
  {
    target: 'displayName',
    type: 'direct',
    source: 'displayName',
    applyOn: 'always',
    matching: { precedence: 1 },
  },
  { target: 'externalId', type: 'direct', source: 'objectId', applyOn: 'always' },
  { target: 'members', type: 'direct', source: 'members', applyOn: 'always' },
]
