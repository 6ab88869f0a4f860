import { attr } from './define.js'
import type { SchemaDefinition } from './types.js'

export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/** RFC 7643 §4.3. The manager is a reference to another User of the same tenant. */
export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
    attr('costCenter', 'string', 'Identifies the name of a cost center.'),
    attr('organization', 'string', 'Identifies the name of an organization.'),
    attr('division', 'string', 'Identifies the name of a division.'),
    attr('department', 'string', 'Identifies the name of a department.'),
    attr('manager', 'complex', "The User's manager: another User of the same tenant.", {
      subAttributes: [
        attr('value', 'string', 'The id of the SCIM resource representing the manager.'),
        attr('$ref', 'reference', 'The URI of the SCIM resource representing the manager.', {
          referenceTypes: ['User'],
        }),
        attr('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
}
