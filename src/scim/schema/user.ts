import { attr, multiValuedComplex } from './define.js'
import type { SchemaDefinition } from './types.js'

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'

/** The whole core User schema, RFC 7643 §4.1 and §8.7.1. */
export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr(
      'userName',
      'string',
      'Unique identifier for the User, typically used to sign in. Unique per tenant.',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    attr('name', 'complex', "The components of the user's real name.", {
      subAttributes: [
        attr('formatted', 'string', 'The full name, formatted for display.'),
        attr('familyName', 'string', 'The family name of the User.'),
        attr('givenName', 'string', 'The given name of the User.'),
        attr('middleName', 'string', 'The middle name(s) of the User.'),
        attr('honorificPrefix', 'string', 'The honorific prefix(es) of the User.'),
        attr('honorificSuffix', 'string', 'The honorific suffix(es) of the User.'),
      ],
    }),
    attr('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'string', 'The casual way to address the user.'),
    attr('profileUrl', 'reference', "A URI of the User's online profile.", { referenceTypes: ['external'] }),
    attr('title', 'string', "The user's title, such as 'Vice President'."),
    attr('userType', 'string', 'The relationship between the organization and the user.'),
    attr('preferredLanguage', 'string', "The User's preferred written or spoken language (RFC 7231 §5.3.5)."),
    attr('locale', 'string', "The User's default location for localization, e.g. 'en-US'."),
    attr('timezone', 'string', "The User's time zone in IANA format, e.g. 'America/Los_Angeles'."),
    attr('active', 'boolean', "The User's administrative status."),
    attr('password', 'string', "The User's cleartext password; never returned.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedComplex('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multiValuedComplex('phoneNumbers', 'Phone numbers for the User.', [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    multiValuedComplex('ims', 'Instant messaging addresses for the User.', [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]),
    multiValuedComplex('photos', 'URLs of photos of the User.', ['photo', 'thumbnail'], 'reference'),
    attr('addresses', 'complex', 'A physical mailing address for this User.', {
      multiValued: true,
      subAttributes: [
        attr('formatted', 'string', 'The full mailing address, formatted for display.'),
        attr('streetAddress', 'string', 'The full street address component.'),
        attr('locality', 'string', 'The city or locality component.'),
        attr('region', 'string', 'The state or region component.'),
        attr('postalCode', 'string', 'The zip code or postal code component.'),
        attr('country', 'string', 'The country name component (ISO 3166-1 alpha-2).'),
        attr('type', 'string', 'A label indicating the function of the address.', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'boolean', 'Indicates the preferred address.'),
      ],
    }),
    attr('groups', 'complex', 'Groups to which the user belongs, directly or indirectly.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'The URI of the group.', {
          mutability: 'readOnly',
          referenceTypes: ['Group'],
        }),
        attr('display', 'string', 'The display name of the group.', { mutability: 'readOnly' }),
        attr('type', 'string', 'Direct or indirect membership.', {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
    }),
    multiValuedComplex('entitlements', 'A list of entitlements for the User.', []),
    multiValuedComplex('roles', 'A list of roles for the User.', []),
    attr('x509Certificates', 'complex', 'A list of certificates issued to the User.', {
      multiValued: true,
      subAttributes: [
        attr('value', 'binary', 'The DER-encoded certificate, base64.'),
        attr('display', 'string', 'A human-readable name.'),
        attr('type', 'string', 'A label indicating the function of the certificate.'),
        attr('primary', 'boolean', 'Indicates the preferred certificate.'),
      ],
    }),
  ],
}
