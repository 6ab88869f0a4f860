import type { AttributeDefinition, AttributeType } from './types.js'

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>

/** Builds an attribute definition with RFC 7643 §2.2 defaults, so the schema files stay readable. */
export function attr(
  name: string,
  type: AttributeType,
  description: string,
  options: Options = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  }
}

/** The multi-valued complex shape shared by emails, phoneNumbers, ims, photos… (RFC 7643 §4.1.2). */
export function multiValuedComplex(
  name: string,
  description: string,
  canonicalTypes: string[],
  valueType: AttributeType = 'string',
  extra: AttributeDefinition[] = [],
): AttributeDefinition {
  return attr(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attr('value', valueType, `The ${name} value.`),
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attr('type', 'string', 'A label indicating the function of the value.', {
        canonicalValues: canonicalTypes,
      }),
      attr('primary', 'boolean', 'Indicates the preferred value for this attribute.'),
      ...extra,
    ],
  })
}
