/**
 * Every endpoint fed bad input, one table row per case. For each row the suite checks the status,
 * that the body is an RFC 7644 §3.12 error (string status, non-empty detail, the expected
 * scimType, a detail naming the field), that it is served as application/scim+json, that nothing
 * a client sends yields a 5xx, and that the stored data is exactly what it was before the request.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { revokeAccessToken } from '../../src/access/access-tokens.js'
import { TEST_DATABASES } from '../support/databases.js'
import {
  scimClient,
  startTestServer,
  type TestServer,
  type TestTenant,
  withToken,
} from '../support/server.js'
import {
  assertScimContentType,
  assertScimError,
  canonicalResources,
  ENTERPRISE,
  employee,
  GROUP,
  gq,
  groupBody,
  membersOf,
  PATCH_OP,
  patch,
  q,
  SEARCH,
  storedState,
  USER,
} from './helpers.js'

const BODY_LIMIT = 4096

type Auth = 'tenant' | 'none' | 'unknown' | 'revoked' | 'api-scope'

interface BadInputCase {
  name: string
  method: string
  /**
   * `{alice}`, `{bob}` (users of tenant acme), `{gina}` (a user of tenant globex), `{eng}`, `{all}`
   * (groups of acme; All Staff contains Engineering) and `{ops}` (a group of globex) are replaced
   * by their ids, here, in bodies and in `detail`.
   */
  path: string
  /** Sent as JSON; placeholders inside are replaced too. */
  body?: unknown
  /** Sent verbatim (after placeholder replacement) instead of `body`. */
  raw?: string
  headers?: Record<string, string>
  /** Which credentials to send; acme's valid `scim` token by default. */
  auth?: Auth
  status: number
  /** The expected scimType; a list when the contract allows either. */
  scimType?: string | string[]
  /** The detail must match: it names the field at fault. */
  detail?: RegExp
}

const STALE = { 'if-match': 'W/"999"' }
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const nestedObject = (depth: number): unknown => {
  let value: unknown = 'x'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const newHire = (extra: Record<string, unknown> = {}) => employee('new.hire@acme.test', extra)
const withoutKey = (key: string) => {
  const body = newHire()
  delete body[key]
  return body
}

const transportCases: BadInputCase[] = [
  {
    name: 'POST with malformed JSON is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: '{"userName": "x",',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON/,
  },
  {
    name: 'POST with a JSON array body is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: '[{"userName":"x"}]',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /object.*array/,
  },
  {
    name: 'POST with a JSON string body is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: '"new.hire@acme.test"',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /object.*string/,
  },
  {
    name: 'POST with a JSON number body is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: '42',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /object.*number/,
  },
  {
    name: 'POST with a JSON null body is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: 'null',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /object.*null/,
  },
  {
    name: 'POST with an empty JSON body is invalidSyntax',
    method: 'POST',
    path: '/Users',
    raw: '',
    headers: { 'content-type': 'application/scim+json' },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON|body/,
  },
  {
    name: 'POST as text/plain is 415',
    method: 'POST',
    path: '/Users',
    raw: JSON.stringify(newHire()),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    detail: /Content-Type/,
  },
  {
    name: 'POST as an HTML form is 415',
    method: 'POST',
    path: '/Users',
    raw: 'userName=new.hire%40acme.test',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    detail: /Content-Type/,
  },
  {
    name: 'POST as application/xml is 415',
    method: 'POST',
    path: '/Users',
    raw: '<User><userName>new.hire@acme.test</userName></User>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
    detail: /Content-Type/,
  },
  {
    name: 'POST with a body over BODY_LIMIT is 413',
    method: 'POST',
    path: '/Users',
    body: newHire({ nickName: 'n'.repeat(BODY_LIMIT) }),
    status: 413,
    detail: /limit|large/,
  },
  {
    name: 'POST with an array nested 1500 deep is invalidSyntax, not a crash',
    method: 'POST',
    path: '/Users',
    raw: nested(1500),
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: 'POST with an object nested 150 deep inside name.givenName is invalidValue',
    method: 'POST',
    path: '/Users',
    body: newHire({ name: { givenName: nestedObject(150), familyName: 'Hire' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.givenName/,
  },
]

const createCases: BadInputCase[] = [
  {
    name: 'POST without userName is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: withoutKey('userName'),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: 'POST with an empty userName is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: newHire({ userName: '' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: 'POST with a numeric userName is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: newHire({ userName: 12345 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: 'POST with an object userName is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: newHire({ userName: { value: 'x' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: 'POST with a userName already taken is 409 uniqueness',
    method: 'POST',
    path: '/Users',
    body: employee('alice@acme.test'),
    status: 409,
    scimType: 'uniqueness',
    detail: /userName/,
  },
  {
    name: 'POST with a taken userName in different case is 409 uniqueness',
    method: 'POST',
    path: '/Users',
    body: employee('ALICE@Acme.Test'),
    status: 409,
    scimType: 'uniqueness',
    detail: /userName/,
  },
  {
    name: 'POST with active "maybe" is invalidValue naming active',
    method: 'POST',
    path: '/Users',
    body: newHire({ active: 'maybe' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /active/,
  },
  {
    name: 'POST with a numeric active is invalidValue naming active',
    method: 'POST',
    path: '/Users',
    body: newHire({ active: 1 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /active/,
  },
  {
    name: 'POST with name as a string is invalidValue naming name',
    method: 'POST',
    path: '/Users',
    body: newHire({ name: 'New Hire' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name/,
  },
  {
    name: 'POST with a numeric name.familyName is invalidValue naming it',
    method: 'POST',
    path: '/Users',
    body: newHire({ name: { givenName: 'New', familyName: 7 } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.familyName/,
  },
  {
    name: 'POST with emails as an object instead of an array is invalidValue naming emails',
    method: 'POST',
    path: '/Users',
    body: newHire({ emails: { type: 'work', value: 'new.hire@mail.example' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails/,
  },
  {
    name: 'POST with a bare string email element is invalidValue naming emails[0]',
    method: 'POST',
    path: '/Users',
    body: newHire({ emails: ['new.hire@mail.example'] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails\[0\]/,
  },
  {
    name: 'POST with two primary emails is invalidValue naming emails',
    method: 'POST',
    path: '/Users',
    body: newHire({
      emails: [
        { type: 'work', value: 'a@mail.example', primary: true },
        { type: 'home', value: 'b@mail.example', primary: true },
      ],
    }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails.*primary/,
  },
  {
    name: 'POST with two work emails is invalidValue naming emails',
    method: 'POST',
    path: '/Users',
    body: newHire({
      emails: [
        { type: 'work', value: 'a@mail.example' },
        { type: 'work', value: 'b@mail.example' },
      ],
    }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails.*work/,
  },
  {
    name: 'POST with a numeric email value is invalidValue naming emails[0].value',
    method: 'POST',
    path: '/Users',
    body: newHire({ emails: [{ type: 'work', value: 42 }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails\[0\]\.value/,
  },
  {
    name: 'POST with phoneNumbers as a string is invalidValue naming phoneNumbers',
    method: 'POST',
    path: '/Users',
    body: newHire({ phoneNumbers: '+16175551212' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers/,
  },
  {
    name: 'POST with a numeric externalId is invalidValue naming externalId',
    method: 'POST',
    path: '/Users',
    body: newHire({ externalId: 1001 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /externalId/,
  },
  {
    name: 'POST with the enterprise extension as a string is invalidValue naming the extension',
    method: 'POST',
    path: '/Users',
    body: newHire({ [ENTERPRISE]: 'Sales' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /enterprise:2\.0:User/,
  },
  {
    name: 'POST with a numeric enterprise department is invalidValue naming department',
    method: 'POST',
    path: '/Users',
    body: newHire({ [ENTERPRISE]: { department: 42 } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /department/,
  },
  {
    name: 'POST with a boolean enterprise costCenter is invalidValue naming costCenter',
    method: 'POST',
    path: '/Users',
    body: newHire({ [ENTERPRISE]: { costCenter: true } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /costCenter/,
  },
  {
    name: 'POST with a userName over 2048 characters is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: newHire({ userName: `${'u'.repeat(2049)}@acme.test` }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName.*2048/,
  },
  {
    name: 'POST with a displayName over 2048 characters is invalidValue naming displayName',
    method: 'POST',
    path: '/Users',
    body: newHire({ displayName: 'd'.repeat(2049) }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName.*2048/,
  },
  {
    name: 'POST with 101 emails is invalidValue naming emails',
    method: 'POST',
    path: '/Users',
    body: newHire({
      emails: [
        { type: 'work', value: 'w@x.io' },
        ...Array.from({ length: 100 }, (_, i) => ({ value: `${i}@x.io` })),
      ],
    }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails.*100/,
  },
]

const hrRuleCases: BadInputCase[] = [
  {
    name: 'POST without name.givenName breaks the HR rules and names it',
    method: 'POST',
    path: '/Users',
    body: newHire({ name: { familyName: 'Hire' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.givenName/,
  },
  {
    name: 'POST without name.familyName breaks the HR rules and names it',
    method: 'POST',
    path: '/Users',
    body: newHire({ name: { givenName: 'New' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.familyName/,
  },
  {
    name: 'POST without name at all breaks the HR rules and names name.givenName',
    method: 'POST',
    path: '/Users',
    body: withoutKey('name'),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.givenName/,
  },
  {
    name: 'POST with only a home email breaks the HR rules and names the work email',
    method: 'POST',
    path: '/Users',
    body: newHire({ emails: [{ type: 'home', value: 'new.hire@home.example' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails\[type eq "work"\]/,
  },
  {
    name: 'POST with phone 617-555-1212 is not E.164 and names phoneNumbers',
    method: 'POST',
    path: '/Users',
    body: newHire({ phoneNumbers: [{ type: 'work', value: '617-555-1212' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers\[type eq "work"\].*617-555-1212/,
  },
  {
    name: 'POST with phone "+1 617 555 1212" (spaces) is not E.164 and names phoneNumbers',
    method: 'POST',
    path: '/Users',
    body: newHire({ phoneNumbers: [{ type: 'mobile', value: '+1 617 555 1212' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers\[type eq "mobile"\]/,
  },
  {
    name: 'POST with phone +999 is not a valid number and names phoneNumbers',
    method: 'POST',
    path: '/Users',
    body: newHire({ phoneNumbers: [{ type: 'work', value: '+999' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers.*\+999/,
  },
  {
    name: 'POST with an unknown manager id is invalidValue naming the manager',
    method: 'POST',
    path: '/Users',
    body: newHire({ [ENTERPRISE]: { manager: { value: '00000000-0000-4000-8000-000000000000' } } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager.*00000000-0000-4000-8000-000000000000/,
  },
  {
    name: "POST with another tenant's user as manager is invalidValue naming the manager",
    method: 'POST',
    path: '/Users',
    body: newHire({ [ENTERPRISE]: { manager: '{gina}' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager/,
  },
]

const replaceCases: BadInputCase[] = [
  {
    name: 'PUT with an unknown schema URN is invalidValue naming schemas',
    method: 'PUT',
    path: '/Users/{alice}',
    body: employee('alice@acme.test', { schemas: [USER, 'urn:example:schemas:nosuch:1.0:User'] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /schemas.*urn:example:schemas:nosuch/,
  },
  {
    name: 'PUT on a missing id is 404',
    method: 'PUT',
    path: '/Users/00000000-0000-4000-8000-000000000000',
    body: employee('ghost@acme.test'),
    status: 404,
    detail: /00000000-0000-4000-8000-000000000000/,
  },
  {
    name: 'PUT without userName is invalidValue naming userName',
    method: 'PUT',
    path: '/Users/{alice}',
    body: {
      schemas: [USER],
      name: { givenName: 'A', familyName: 'B' },
      emails: [{ type: 'work', value: 'a@b.c' }],
    },
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: "PUT taking another user's userName is 409 uniqueness",
    method: 'PUT',
    path: '/Users/{alice}',
    body: employee('Bob@Acme.Test'),
    status: 409,
    scimType: 'uniqueness',
    detail: /userName/,
  },
  {
    name: 'PUT with a stale If-Match is 412',
    method: 'PUT',
    path: '/Users/{alice}',
    body: employee('alice@acme.test', { title: 'Changed' }),
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'PUT making the user their own manager is invalidValue naming the manager',
    method: 'PUT',
    path: '/Users/{alice}',
    body: employee('alice@acme.test', { [ENTERPRISE]: { manager: { value: '{alice}' } } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager.*own manager/,
  },
  {
    name: 'PUT with a JSON array body is invalidSyntax',
    method: 'PUT',
    path: '/Users/{alice}',
    raw: '[]',
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: 'PUT with malformed JSON is invalidSyntax',
    method: 'PUT',
    path: '/Users/{alice}',
    raw: '{"userName":"alice@acme.test"',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON/,
  },
  {
    name: 'PUT with a non-E.164 phone breaks the HR rules',
    method: 'PUT',
    path: '/Users/{alice}',
    body: employee('alice@acme.test', { phoneNumbers: [{ type: 'work', value: '617-555-1212' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers/,
  },
]

const patchCases: BadInputCase[] = [
  {
    name: 'PATCH without schemas is invalidSyntax naming schemas',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: { Operations: [{ op: 'replace', path: 'title', value: 'X' }] },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /schemas/,
  },
  {
    name: 'PATCH with the User schema instead of PatchOp is invalidSyntax naming schemas',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: { schemas: [USER], Operations: [{ op: 'replace', path: 'title', value: 'X' }] },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /schemas.*PatchOp/,
  },
  {
    name: 'PATCH without Operations is invalidSyntax naming Operations',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: { schemas: [PATCH_OP] },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations/,
  },
  {
    name: 'PATCH with Operations as an object is invalidSyntax naming Operations',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: { schemas: [PATCH_OP], Operations: { op: 'replace', path: 'title', value: 'X' } },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations/,
  },
  {
    name: 'PATCH with empty Operations is invalidSyntax naming Operations',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch(),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations/,
  },
  {
    name: 'PATCH with op "move" is invalidSyntax naming the op',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'move', path: 'title', value: 'X' }),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations\[0\]\.op.*move/,
  },
  {
    name: 'PATCH with an operation missing op is invalidSyntax naming the op',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ path: 'title', value: 'X' }),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations\[0\]\.op/,
  },
  {
    name: 'PATCH with an operation that is a string is invalidSyntax naming it',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch('replace title'),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations\[0\]/,
  },
  {
    name: 'PATCH replace without value is invalidSyntax naming value',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'title' }),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations\[0\]\.value/,
  },
  {
    name: 'PATCH remove without path is noTarget',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'remove' }),
    status: 400,
    scimType: 'noTarget',
    detail: /path/,
  },
  {
    name: 'PATCH with an unparseable path is invalidPath',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'emails[type eq "work"', value: 'x@y.z' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /path/,
  },
  {
    name: 'PATCH with a numeric path is invalidPath',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 42, value: 'x' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /path/,
  },
  {
    name: 'PATCH with an unknown attribute path is invalidPath naming it',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'shoeSize', value: '42' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /shoeSize/,
  },
  {
    name: 'PATCH with an unknown sub-attribute path is invalidPath naming it',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'name.nickname', value: 'Al' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /nickname/,
  },
  {
    name: 'PATCH replacing id is mutability',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'id', value: 'new-id' }),
    status: 400,
    scimType: 'mutability',
    detail: /id/,
  },
  {
    name: 'PATCH replacing meta.lastModified is mutability',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }),
    status: 400,
    scimType: 'mutability',
    detail: /meta/,
  },
  {
    name: 'PATCH adding groups is mutability',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'add', path: 'groups', value: [{ value: 'g1' }] }),
    status: 400,
    scimType: 'mutability',
    detail: /groups/,
  },
  {
    name: 'PATCH setting active to "maybe" is invalidValue naming active',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'active', value: 'maybe' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /active/,
  },
  {
    name: 'PATCH setting name.givenName to a number is invalidValue naming it',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'name.givenName', value: 7 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.givenName/,
  },
  {
    name: 'PATCH setting emails to an array of numbers is invalidValue naming emails',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'emails', value: [1, 2] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails/,
  },
  {
    name: 'PATCH path-less replace with a string value is invalidValue naming value',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', value: 'title' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /value/,
  },
  {
    name: 'PATCH path-less replace with a wrongly typed key is invalidValue naming it',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', value: { 'name.familyName': ['Smith'] } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.familyName/,
  },
  {
    name: 'PATCH with one good and one bad op applies neither (atomic)',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch(
      { op: 'replace', path: 'title', value: 'Should Not Stick' },
      { op: 'replace', path: 'active', value: 'perhaps' },
    ),
    status: 400,
    scimType: 'invalidValue',
    detail: /Operations\[1\].*active/,
  },
  {
    name: 'PATCH with a good op then an unknown path applies neither (atomic)',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch(
      { op: 'replace', path: 'nickName', value: 'Sticky' },
      { op: 'add', path: 'nosuch', value: 1 },
    ),
    status: 400,
    scimType: 'invalidPath',
    detail: /Operations\[1\].*nosuch/,
  },
  {
    name: 'PATCH making userName "" removes a required attribute: invalidValue',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'userName', value: '' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: 'PATCH removing userName is invalidValue',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'remove', path: 'userName' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName/,
  },
  {
    name: "PATCH taking another user's userName (other case) is 409 uniqueness",
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'userName', value: 'BOB@acme.test' }),
    status: 409,
    scimType: 'uniqueness',
    detail: /userName/,
  },
  {
    name: 'PATCH removing name.givenName breaks the HR rules',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'remove', path: 'name.givenName' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /name\.givenName/,
  },
  {
    name: 'PATCH removing the work email breaks the HR rules',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'remove', path: 'emails[type eq "work"]' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /emails\[type eq "work"\]/,
  },
  {
    name: 'PATCH setting a non-E.164 work phone breaks the HR rules',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 617 555 1212' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /phoneNumbers/,
  },
  {
    name: 'PATCH setting an unknown manager is invalidValue naming the manager',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: 'no-such-user' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager.*no-such-user/,
  },
  {
    name: 'PATCH making the user their own manager is invalidValue naming the manager',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: '{alice}' } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager/,
  },
  {
    name: "PATCH setting another tenant's user as manager is invalidValue naming the manager",
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: `${ENTERPRISE}:manager`, value: [{ value: '{gina}' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /manager/,
  },
  {
    name: 'PATCH setting a displayName over 2048 characters is invalidValue',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'displayName', value: 'd'.repeat(2049) }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName.*2048/,
  },
  {
    name: 'PATCH with a stale If-Match is 412',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'title', value: 'Changed' }),
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'PATCH on a missing id is 404',
    method: 'PATCH',
    path: '/Users/00000000-0000-4000-8000-000000000000',
    body: patch({ op: 'replace', path: 'title', value: 'X' }),
    status: 404,
  },
  {
    name: 'PATCH as text/plain is 415',
    method: 'PATCH',
    path: '/Users/{alice}',
    raw: JSON.stringify(patch({ op: 'replace', path: 'title', value: 'X' })),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'PATCH with a JSON array body is invalidSyntax',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: [{ op: 'replace', path: 'title', value: 'X' }],
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: 'PATCH with a deeply nested value is invalidValue, not a crash',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'title', value: nestedObject(150) }),
    status: 400,
    scimType: 'invalidValue',
    detail: /title/,
  },
]

const listCases: BadInputCase[] = [
  {
    name: 'GET with a filter on an unknown attribute is invalidFilter naming it',
    method: 'GET',
    path: q('shoeSize eq "42"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /shoeSize/,
  },
  {
    name: 'GET with filter `userName eq` (no value) is invalidFilter',
    method: 'GET',
    path: q('userName eq'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: 'GET with filter `userName zz "x"` (unknown operator) is invalidFilter',
    method: 'GET',
    path: q('userName zz "x"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: 'GET with unbalanced parentheses is invalidFilter',
    method: 'GET',
    path: q('(userName eq "x" or title eq "y"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter.*\)/,
  },
  {
    name: 'GET with an unterminated string is invalidFilter',
    method: 'GET',
    path: q('userName eq "alice'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter.*unterminated/,
  },
  {
    name: 'GET with `gt` on a boolean is invalidFilter',
    method: 'GET',
    path: q('active gt true'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /gt/,
  },
  {
    name: 'GET with an invalid date in meta.lastModified gt is invalidFilter',
    method: 'GET',
    path: q('meta.lastModified gt "yesterday"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /dateTime|yesterday/,
  },
  {
    name: 'GET with `eq` on active against a non-boolean is invalidFilter',
    method: 'GET',
    path: q('active eq "maybe"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /maybe/,
  },
  {
    name: 'GET with a filter nested deeper than the limit is invalidFilter',
    method: 'GET',
    path: q(`${'('.repeat(60)}userName eq "x"${')'.repeat(60)}`),
    status: 400,
    scimType: 'invalidFilter',
    detail: /nested/,
  },
  {
    name: 'GET with a filter longer than 10000 characters is invalidFilter',
    method: 'GET',
    path: q(`userName eq "${'a'.repeat(10_000)}"`),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter.*10000/,
  },
  {
    name: 'GET with filter given twice is invalidValue naming filter',
    method: 'GET',
    path: '/Users?filter=userName%20pr&filter=title%20pr',
    status: 400,
    scimType: 'invalidValue',
    detail: /filter/,
  },
  {
    name: 'GET with sortBy on an unknown attribute is invalidValue naming sortBy',
    method: 'GET',
    path: '/Users?sortBy=shoeSize',
    status: 400,
    scimType: 'invalidValue',
    detail: /sortBy.*shoeSize/,
  },
  {
    name: 'GET with a syntactically bad sortBy is invalidValue naming sortBy',
    method: 'GET',
    path: '/Users?sortBy=name..givenName',
    status: 400,
    scimType: 'invalidValue',
    detail: /sortBy/,
  },
  {
    name: 'GET with sortOrder "sideways" is invalidValue naming sortOrder',
    method: 'GET',
    path: '/Users?sortBy=userName&sortOrder=sideways',
    status: 400,
    scimType: 'invalidValue',
    detail: /sortOrder.*sideways/,
  },
  {
    name: 'GET with startIndex "abc" is invalidValue naming startIndex',
    method: 'GET',
    path: '/Users?startIndex=abc',
    status: 400,
    scimType: 'invalidValue',
    detail: /startIndex/,
  },
  {
    name: 'GET with count "abc" is invalidValue naming count',
    method: 'GET',
    path: '/Users?count=abc',
    status: 400,
    scimType: 'invalidValue',
    detail: /count/,
  },
  {
    name: 'GET with count 1.5 is invalidValue naming count',
    method: 'GET',
    path: '/Users?count=1.5',
    status: 400,
    scimType: 'invalidValue',
    detail: /count/,
  },
  {
    name: 'GET with count above MAX_PAGE_SIZE is tooMany',
    method: 'GET',
    path: '/Users?count=1001',
    status: 400,
    scimType: 'tooMany',
    detail: /count/,
  },
  {
    name: 'GET with a malformed attributes list is invalidValue naming attributes',
    method: 'GET',
    path: '/Users?attributes=userName,,name',
    status: 400,
    scimType: 'invalidValue',
    detail: /attributes/,
  },
  {
    name: 'GET with an unclosed value filter in attributes is invalidValue naming attributes',
    method: 'GET',
    path: `/Users?attributes=${encodeURIComponent('emails[type eq "work"')}`,
    status: 400,
    scimType: 'invalidValue',
    detail: /attributes/,
  },
  {
    name: 'GET with a malformed excludedAttributes is invalidValue naming excludedAttributes',
    method: 'GET',
    path: '/Users?excludedAttributes=name.given.extra',
    status: 400,
    scimType: 'invalidValue',
    detail: /excludedAttributes/,
  },
]

const searchCases: BadInputCase[] = [
  {
    name: '.search with a malformed filter is invalidFilter',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], filter: 'userName eq' },
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: '.search with a filter that is an object is invalidValue naming filter',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], filter: { userName: 'alice' } },
    status: 400,
    scimType: 'invalidValue',
    detail: /filter/,
  },
  {
    name: '.search with count "abc" is invalidValue naming count',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], count: 'abc' },
    status: 400,
    scimType: 'invalidValue',
    detail: /count/,
  },
  {
    name: '.search with count above MAX_PAGE_SIZE is tooMany',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], count: 5000 },
    status: 400,
    scimType: 'tooMany',
    detail: /count/,
  },
  {
    name: '.search with sortOrder "sideways" is invalidValue naming sortOrder',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], sortBy: 'userName', sortOrder: 'sideways' },
    status: 400,
    scimType: 'invalidValue',
    detail: /sortOrder/,
  },
  {
    name: '.search with a malformed attributes list is invalidValue naming attributes',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], attributes: ['userName', 'name..givenName'] },
    status: 400,
    scimType: 'invalidValue',
    detail: /attributes/,
  },
  {
    name: '.search with malformed JSON is invalidSyntax',
    method: 'POST',
    path: '/Users/.search',
    raw: '{"filter": "userName pr"',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON/,
  },
  {
    name: '.search with a JSON array body is invalidSyntax',
    method: 'POST',
    path: '/Users/.search',
    raw: '[{"filter":"userName pr"}]',
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: '.search with a JSON string body is invalidSyntax',
    method: 'POST',
    path: '/Users/.search',
    raw: '"userName pr"',
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: '.search as text/plain is 415',
    method: 'POST',
    path: '/Users/.search',
    raw: JSON.stringify({ filter: 'userName pr' }),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
]

const resourceCases: BadInputCase[] = [
  {
    name: 'GET of an unknown id is 404',
    method: 'GET',
    path: '/Users/00000000-0000-4000-8000-000000000000',
    status: 404,
    detail: /00000000-0000-4000-8000-000000000000/,
  },
  {
    name: "GET of another tenant's user is 404",
    method: 'GET',
    path: '/Users/{gina}',
    status: 404,
  },
  // U+0000 fits in no text column of PostgreSQL; it is refused alike on both databases.
  {
    name: 'GET of an id with a NUL byte is 404',
    method: 'GET',
    path: '/Users/a%00b',
    status: 404,
  },
  {
    name: 'GET of a group id with a NUL byte is 404',
    method: 'GET',
    path: '/Groups/a%00b',
    status: 404,
  },
  {
    name: 'POST of a user whose userName holds a NUL byte is invalidValue naming userName',
    method: 'POST',
    path: '/Users',
    body: employee('nul\u0000@acme.test'),
    status: 400,
    scimType: 'invalidValue',
    detail: /userName.*U\+0000/,
  },
  {
    name: 'a filter value with a NUL byte is invalidFilter',
    method: 'GET',
    path: `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`,
    status: 400,
    scimType: 'invalidFilter',
    detail: /U\+0000/,
  },
  {
    name: 'an escaped NUL in a co filter value is invalidFilter',
    method: 'GET',
    path: `/Users?filter=${encodeURIComponent('displayName co "a\\u0000b"')}`,
    status: 400,
    scimType: 'invalidFilter',
    detail: /U\+0000/,
  },
  {
    name: 'POST of a group whose displayName holds a NUL byte is invalidValue naming displayName',
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP], displayName: 'Night\u0000Shift' },
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName.*U\+0000/,
  },
  {
    name: 'PATCH adding a member id with a NUL byte is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: [{ value: 'a\u0000b' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members\[0\]\.value.*U\+0000/,
  },
  {
    name: 'GET of a user with a malformed attributes list is invalidValue naming attributes',
    method: 'GET',
    path: '/Users/{alice}?attributes=emails[',
    status: 400,
    scimType: 'invalidValue',
    detail: /attributes/,
  },
  {
    name: 'DELETE of an unknown id is 404',
    method: 'DELETE',
    path: '/Users/00000000-0000-4000-8000-000000000000',
    status: 404,
  },
  {
    name: 'DELETE with a stale If-Match is 412',
    method: 'DELETE',
    path: '/Users/{alice}',
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'DELETE /Users (no id) is 405',
    method: 'DELETE',
    path: '/Users',
    status: 405,
    detail: /DELETE/,
  },
  {
    name: 'PUT /Users (no id) is 405',
    method: 'PUT',
    path: '/Users',
    body: newHire(),
    status: 405,
  },
  {
    name: 'PATCH /Users (no id) is 405',
    method: 'PATCH',
    path: '/Users',
    body: patch({ op: 'replace', path: 'title', value: 'X' }),
    status: 405,
  },
  {
    name: 'POST /Users/{id} is 405',
    method: 'POST',
    path: '/Users/{alice}',
    body: newHire(),
    status: 405,
  },
  {
    name: 'an unknown endpoint is 404',
    method: 'GET',
    path: '/Widgets',
    status: 404,
    detail: /Widgets/,
  },
  {
    name: 'a POST to an unknown endpoint is 404',
    method: 'POST',
    path: '/Widgets',
    body: { schemas: ['urn:example:Widget'], name: 'W' },
    status: 404,
    detail: /Widgets/,
  },
]

const discoveryCases: BadInputCase[] = [
  {
    name: 'GET of an unknown schema is 404',
    method: 'GET',
    path: '/Schemas/urn:example:nosuch',
    status: 404,
    detail: /urn:example:nosuch/,
  },
  {
    name: 'GET of an unknown resource type is 404',
    method: 'GET',
    path: '/ResourceTypes/Widget',
    status: 404,
    detail: /Widget/,
  },
  {
    name: 'POST /ServiceProviderConfig is 405',
    method: 'POST',
    path: '/ServiceProviderConfig',
    body: {},
    status: 405,
  },
  {
    name: 'DELETE /Schemas is 405',
    method: 'DELETE',
    path: '/Schemas',
    status: 405,
  },
  {
    name: 'PUT /ResourceTypes/User is 405',
    method: 'PUT',
    path: '/ResourceTypes/User',
    body: {},
    status: 405,
  },
]

const authCases: BadInputCase[] = [
  {
    name: 'no Authorization header is 401',
    method: 'GET',
    path: '/Users',
    auth: 'none',
    status: 401,
    detail: /Authorization/,
  },
  {
    name: 'Basic credentials are 401',
    method: 'GET',
    path: '/Users',
    headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    status: 401,
    detail: /Bearer/,
  },
  {
    name: 'a Bearer header without a token is 401',
    method: 'GET',
    path: '/Users',
    headers: { authorization: 'Bearer ' },
    status: 401,
  },
  {
    name: 'a Bearer token that is garbage is 401',
    method: 'GET',
    path: '/Users',
    headers: { authorization: 'Bearer not-a-token' },
    status: 401,
  },
  {
    name: 'a well-formed but unknown rst_ token is 401',
    method: 'GET',
    path: '/Users',
    auth: 'unknown',
    status: 401,
  },
  {
    name: 'a revoked token is 401',
    method: 'GET',
    path: '/Users',
    auth: 'revoked',
    status: 401,
    detail: /revoked/,
  },
  {
    name: 'a token without the scim scope is 403',
    method: 'GET',
    path: '/Users',
    auth: 'api-scope',
    status: 403,
    detail: /scim/,
  },
  {
    name: 'a POST without a token is 401 and creates nothing',
    method: 'POST',
    path: '/Users',
    body: newHire(),
    auth: 'none',
    status: 401,
  },
  {
    name: 'a DELETE with a revoked token is 401 and deletes nothing',
    method: 'DELETE',
    path: '/Users/{alice}',
    auth: 'revoked',
    status: 401,
  },
  {
    name: 'a PATCH with a token without the scim scope is 403 and changes nothing',
    method: 'PATCH',
    path: '/Users/{alice}',
    body: patch({ op: 'replace', path: 'title', value: 'X' }),
    auth: 'api-scope',
    status: 403,
  },
  {
    name: 'discovery without a token is 401',
    method: 'GET',
    path: '/ServiceProviderConfig',
    auth: 'none',
    status: 401,
  },
  {
    name: 'an unknown endpoint without a token is 401',
    method: 'GET',
    path: '/Widgets',
    auth: 'none',
    status: 401,
  },
]

const MISSING = '00000000-0000-4000-8000-000000000000'

/**
 * /Groups. Fixtures: Engineering `{eng}` (members alice) and All Staff `{all}` (members eng and
 * bob) in acme, Operations `{ops}` (members gina) in globex. A member must be a user or group of
 * the same tenant and a group may not contain itself, directly or not: anything else is 400
 * invalidValue naming `members` (and the offending id when there is one). Read here: an empty
 * displayName counts as missing; a User attribute (userName) is an unknown filter attribute on
 * /Groups; `members[value eq]` may be refused as invalidPath or invalidFilter.
 */
const groupCases: BadInputCase[] = [
  // POST /Groups
  {
    name: 'POST /Groups without displayName is invalidValue naming displayName',
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP], externalId: 'x' },
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'POST /Groups with a numeric displayName is invalidValue naming displayName',
    method: 'POST',
    path: '/Groups',
    body: groupBody('x', { displayName: 42 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'POST /Groups with an empty displayName is invalidValue naming displayName',
    method: 'POST',
    path: '/Groups',
    body: groupBody(''),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'POST /Groups with a displayName already taken is 409 uniqueness',
    method: 'POST',
    path: '/Groups',
    body: groupBody('Engineering'),
    status: 409,
    scimType: 'uniqueness',
    detail: /displayName/,
  },
  {
    name: 'POST /Groups with a taken displayName in different case is 409 uniqueness',
    method: 'POST',
    path: '/Groups',
    body: groupBody('ENGINEERING'),
    status: 409,
    scimType: 'uniqueness',
    detail: /displayName/,
  },
  {
    name: 'POST /Groups with members that is not an array is invalidValue naming members',
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: 42 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'POST /Groups with a member without value is invalidValue naming members',
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: [{ display: 'Alice' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'POST /Groups with a numeric member value is invalidValue naming members',
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: [{ value: 42 }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'POST /Groups with an unknown member id is invalidValue naming it',
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: membersOf(MISSING) }),
    status: 400,
    scimType: 'invalidValue',
    detail: new RegExp(`members.*${MISSING}`),
  },
  {
    name: 'POST /Groups with one unknown member among known ones creates nothing',
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: membersOf('{alice}', MISSING, '{bob}') }),
    status: 400,
    scimType: 'invalidValue',
    detail: new RegExp(`members.*${MISSING}`),
  },
  {
    name: "POST /Groups with another tenant's user as member is invalidValue naming it",
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: membersOf('{gina}') }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members.*{gina}/,
  },
  {
    name: "POST /Groups with another tenant's group as member is invalidValue naming it",
    method: 'POST',
    path: '/Groups',
    body: groupBody('New Team', { members: membersOf('{ops}') }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members.*{ops}/,
  },
  {
    name: 'POST /Groups with malformed JSON is invalidSyntax',
    method: 'POST',
    path: '/Groups',
    raw: '{"displayName": "New Team",',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON/,
  },
  {
    name: 'POST /Groups with a JSON array body is invalidSyntax',
    method: 'POST',
    path: '/Groups',
    raw: '[{"displayName":"New Team"}]',
    status: 400,
    scimType: 'invalidSyntax',
  },
  {
    name: 'POST /Groups as text/plain is 415',
    method: 'POST',
    path: '/Groups',
    raw: JSON.stringify(groupBody('New Team')),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    detail: /Content-Type/,
  },
  {
    name: 'POST /Groups with a body over BODY_LIMIT is 413',
    method: 'POST',
    path: '/Groups',
    body: groupBody('g'.repeat(BODY_LIMIT)),
    status: 413,
    detail: /limit|large/,
  },

  // PUT /Groups/{id}
  {
    name: 'PUT /Groups with an unknown schema URN is invalidValue naming schemas',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: { schemas: [GROUP, 'urn:example:schemas:nosuch:1.0:Group'], displayName: 'Engineering' },
    status: 400,
    scimType: 'invalidValue',
    detail: /schemas.*urn:example:schemas:nosuch/,
  },
  {
    name: 'PUT /Groups without displayName is invalidValue naming displayName',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: { schemas: [GROUP], members: membersOf('{alice}') },
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: "PUT /Groups taking another group's displayName (other case) is 409 uniqueness",
    method: 'PUT',
    path: '/Groups/{eng}',
    body: groupBody('all staff'),
    status: 409,
    scimType: 'uniqueness',
    detail: /displayName/,
  },
  {
    name: 'PUT /Groups with a stale If-Match is 412',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: groupBody('Engineering'),
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'PUT /Groups on a missing id is 404',
    method: 'PUT',
    path: `/Groups/${MISSING}`,
    body: groupBody('Ghosts'),
    status: 404,
    detail: new RegExp(MISSING),
  },
  {
    name: "PUT /Groups on another tenant's group is 404",
    method: 'PUT',
    path: '/Groups/{ops}',
    body: groupBody('Operations'),
    status: 404,
  },
  {
    name: 'PUT /Groups making the group its own member is invalidValue naming members',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: groupBody('Engineering', { members: membersOf('{alice}', '{eng}') }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PUT /Groups closing a cycle through a parent group is invalidValue naming members',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: groupBody('Engineering', { members: membersOf('{all}') }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PUT /Groups with an unknown member id is invalidValue naming it',
    method: 'PUT',
    path: '/Groups/{eng}',
    body: groupBody('Engineering', { members: membersOf('{alice}', MISSING) }),
    status: 400,
    scimType: 'invalidValue',
    detail: new RegExp(`members.*${MISSING}`),
  },
  {
    name: 'PUT /Groups with malformed JSON is invalidSyntax',
    method: 'PUT',
    path: '/Groups/{eng}',
    raw: '{"displayName":"Engineering"',
    status: 400,
    scimType: 'invalidSyntax',
    detail: /JSON/,
  },

  // PATCH /Groups/{id}
  {
    name: 'PATCH /Groups with op "move" is invalidSyntax naming the op',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'move', path: 'members', value: [{ value: '{bob}' }] }),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /op.*move/,
  },
  {
    name: 'PATCH /Groups without schemas is invalidSyntax naming schemas',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: { Operations: [{ op: 'add', path: 'members', value: [{ value: '{bob}' }] }] },
    status: 400,
    scimType: 'invalidSyntax',
    detail: /schemas/,
  },
  {
    name: 'PATCH /Groups with empty Operations is invalidSyntax naming Operations',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch(),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /Operations/,
  },
  {
    name: 'PATCH /Groups replace without value is invalidSyntax naming value',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'displayName' }),
    status: 400,
    scimType: 'invalidSyntax',
    detail: /value/,
  },
  {
    name: 'PATCH /Groups remove without path is noTarget',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'remove' }),
    status: 400,
    scimType: 'noTarget',
    detail: /path/,
  },
  {
    name: 'PATCH /Groups remove on members[value eq] (no value) is invalidPath or invalidFilter',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'remove', path: 'members[value eq]' }),
    status: 400,
    scimType: ['invalidPath', 'invalidFilter'],
    detail: /path|filter/,
  },
  {
    name: 'PATCH /Groups with an unclosed members filter path is invalidPath',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'remove', path: 'members[value eq "{alice}"' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /path/,
  },
  {
    name: 'PATCH /Groups with an unknown attribute path is invalidPath naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'shoeSize', value: '42' }),
    status: 400,
    scimType: 'invalidPath',
    detail: /shoeSize/,
  },
  {
    name: 'PATCH /Groups replacing id is mutability',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'id', value: 'new-id' }),
    status: 400,
    scimType: 'mutability',
    detail: /id/,
  },
  {
    name: 'PATCH /Groups removing displayName (required) is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'remove', path: 'displayName' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'PATCH /Groups replacing displayName with a number is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'displayName', value: 42 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'PATCH /Groups replacing displayName with "" is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'displayName', value: '' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: 'PATCH /Groups path-less replace with a numeric displayName is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', value: { displayName: 42 } }),
    status: 400,
    scimType: 'invalidValue',
    detail: /displayName/,
  },
  {
    name: "PATCH /Groups taking another group's displayName is 409 uniqueness",
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'Replace', path: 'displayName', value: 'ALL STAFF' }),
    status: 409,
    scimType: 'uniqueness',
    detail: /displayName/,
  },
  {
    name: 'PATCH /Groups with valid ops then an unknown member applies none of them (atomic)',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch(
      { op: 'replace', path: 'displayName', value: 'Should Not Stick' },
      { op: 'add', path: 'members', value: [{ value: '{bob}' }] },
      { op: 'remove', path: 'members[value eq "{alice}"]' },
      { op: 'add', path: 'members', value: [{ value: MISSING }] },
    ),
    status: 400,
    scimType: 'invalidValue',
    detail: new RegExp(`members.*${MISSING}`),
  },
  {
    name: "PATCH /Groups adding another tenant's user is invalidValue naming it",
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: '{gina}' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members.*{gina}/,
  },
  {
    name: "PATCH /Groups adding another tenant's group is invalidValue naming it",
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: '{ops}' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members.*{ops}/,
  },
  {
    name: 'PATCH /Groups adding the group to itself is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: '{eng}' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups adding its own parent (an indirect cycle) is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: [{ value: '{all}' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups replacing members with its own parent is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'members', value: [{ value: '{all}' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups path-less add of an unknown member is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', value: { members: [{ value: MISSING }] } }),
    status: 400,
    scimType: 'invalidValue',
    detail: new RegExp(`members.*${MISSING}`),
  },
  {
    name: 'PATCH /Groups adding a bare string that names no one is invalidValue naming it',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: 'string id 1' }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members.*string id 1/,
  },
  {
    name: 'PATCH /Groups adding a member without value is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: [{ display: 'Bob' }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups adding a numeric member value is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: [{ value: 42 }] }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups replacing members with a number is invalidValue naming members',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'replace', path: 'members', value: 42 }),
    status: 400,
    scimType: 'invalidValue',
    detail: /members/,
  },
  {
    name: 'PATCH /Groups with a stale If-Match is 412',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'add', path: 'members', value: [{ value: '{bob}' }] }),
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'PATCH /Groups on a missing id is 404',
    method: 'PATCH',
    path: `/Groups/${MISSING}`,
    body: patch({ op: 'add', path: 'members', value: [{ value: '{bob}' }] }),
    status: 404,
    detail: new RegExp(MISSING),
  },
  {
    name: "PATCH /Groups on another tenant's group is 404",
    method: 'PATCH',
    path: '/Groups/{ops}',
    body: patch({ op: 'remove', path: 'members' }),
    status: 404,
  },
  {
    name: 'PATCH /Groups as text/plain is 415',
    method: 'PATCH',
    path: '/Groups/{eng}',
    raw: JSON.stringify(patch({ op: 'remove', path: 'members' })),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'PATCH /Groups with a body over BODY_LIMIT is 413',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({
      op: 'add',
      path: 'members',
      value: membersOf(...Array.from({ length: 200 }, () => MISSING)),
    }),
    status: 413,
    detail: /limit|large/,
  },

  // GET, lists and .search
  {
    name: 'GET of an unknown group id is 404',
    method: 'GET',
    path: `/Groups/${MISSING}`,
    status: 404,
    detail: new RegExp(MISSING),
  },
  {
    name: "GET of another tenant's group is 404",
    method: 'GET',
    path: '/Groups/{ops}',
    status: 404,
  },
  {
    name: 'GET of a group with a malformed excludedAttributes is invalidValue naming it',
    method: 'GET',
    path: '/Groups/{eng}?excludedAttributes=members[',
    status: 400,
    scimType: 'invalidValue',
    detail: /excludedAttributes/,
  },
  {
    name: 'GET /Groups with a filter on an unknown attribute is invalidFilter naming it',
    method: 'GET',
    path: gq('shoeSize eq "42"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /shoeSize/,
  },
  {
    name: 'GET /Groups with a filter on a User attribute (userName) is invalidFilter naming it',
    method: 'GET',
    path: gq('userName eq "alice@acme.test"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /userName/,
  },
  {
    name: 'GET /Groups with filter `displayName eq` (no value) is invalidFilter',
    method: 'GET',
    path: gq('displayName eq'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: 'GET /Groups with an unclosed members value filter is invalidFilter',
    method: 'GET',
    path: gq('members[value eq "{alice}"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: 'GET /Groups with an invalid date in meta.lastModified gt is invalidFilter',
    method: 'GET',
    path: gq('meta.lastModified gt "yesterday"'),
    status: 400,
    scimType: 'invalidFilter',
    detail: /dateTime|yesterday/,
  },
  {
    name: 'GET /Groups with count above MAX_PAGE_SIZE is tooMany',
    method: 'GET',
    path: '/Groups?count=1001',
    status: 400,
    scimType: 'tooMany',
    detail: /count/,
  },
  {
    name: 'GET /Groups with sortBy on an unknown attribute is invalidValue naming sortBy',
    method: 'GET',
    path: '/Groups?sortBy=shoeSize',
    status: 400,
    scimType: 'invalidValue',
    detail: /sortBy.*shoeSize/,
  },
  {
    name: 'GET /Groups with a malformed attributes list is invalidValue naming attributes',
    method: 'GET',
    path: '/Groups?attributes=displayName,,members',
    status: 400,
    scimType: 'invalidValue',
    detail: /attributes/,
  },
  {
    name: '/Groups/.search with a malformed filter is invalidFilter',
    method: 'POST',
    path: '/Groups/.search',
    body: { schemas: [SEARCH], filter: 'displayName eq' },
    status: 400,
    scimType: 'invalidFilter',
    detail: /filter/,
  },
  {
    name: '/Groups/.search with count above MAX_PAGE_SIZE is tooMany',
    method: 'POST',
    path: '/Groups/.search',
    body: { schemas: [SEARCH], count: 5000 },
    status: 400,
    scimType: 'tooMany',
    detail: /count/,
  },
  {
    name: '/Groups/.search as text/plain is 415',
    method: 'POST',
    path: '/Groups/.search',
    raw: JSON.stringify({ filter: 'displayName pr' }),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },

  // DELETE and methods
  {
    name: 'DELETE of an unknown group id is 404',
    method: 'DELETE',
    path: `/Groups/${MISSING}`,
    status: 404,
  },
  {
    name: "DELETE of another tenant's group is 404 and deletes nothing",
    method: 'DELETE',
    path: '/Groups/{ops}',
    status: 404,
  },
  {
    name: 'DELETE of a group with a stale If-Match is 412',
    method: 'DELETE',
    path: '/Groups/{eng}',
    headers: STALE,
    status: 412,
    detail: /If-Match/,
  },
  {
    name: 'DELETE /Groups (no id) is 405',
    method: 'DELETE',
    path: '/Groups',
    status: 405,
    detail: /DELETE/,
  },
  {
    name: 'PUT /Groups (no id) is 405',
    method: 'PUT',
    path: '/Groups',
    body: groupBody('Engineering'),
    status: 405,
  },
  {
    name: 'PATCH /Groups (no id) is 405',
    method: 'PATCH',
    path: '/Groups',
    body: patch({ op: 'remove', path: 'members' }),
    status: 405,
  },
  {
    name: 'POST /Groups/{id} is 405',
    method: 'POST',
    path: '/Groups/{eng}',
    body: groupBody('Engineering'),
    status: 405,
  },

  // Credentials
  {
    name: 'POST /Groups without a token is 401 and creates nothing',
    method: 'POST',
    path: '/Groups',
    body: groupBody('Anonymous'),
    auth: 'none',
    status: 401,
  },
  {
    name: 'PATCH /Groups with a revoked token is 401 and changes nothing',
    method: 'PATCH',
    path: '/Groups/{eng}',
    body: patch({ op: 'remove', path: 'members' }),
    auth: 'revoked',
    status: 401,
  },
  {
    name: 'DELETE /Groups with a token without the scim scope is 403 and deletes nothing',
    method: 'DELETE',
    path: '/Groups/{eng}',
    auth: 'api-scope',
    status: 403,
  },
  {
    name: 'GET /Groups with an unknown token is 401',
    method: 'GET',
    path: '/Groups',
    auth: 'unknown',
    status: 401,
  },
]

const CASES: BadInputCase[] = [
  ...transportCases,
  ...createCases,
  ...hrRuleCases,
  ...replaceCases,
  ...patchCases,
  ...listCases,
  ...searchCases,
  ...resourceCases,
  ...discoveryCases,
  ...authCases,
  ...groupCases,
]

for (const database of TEST_DATABASES) {
  describe(`bad input on every endpoint (${CASES.length} cases) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    let clients: Record<Auth, TestTenant['scim']>
    const ids: Record<string, string> = {}
    const fill = (text: string) =>
      text.replace(/\{(alice|bob|gina|eng|all|ops)\}/g, (_, name: string) => ids[name]!)

    before(async () => {
      server = await startTestServer({ BODY_LIMIT: String(BODY_LIMIT) }, { database })
      acme = await server.addTenant('acme')
      const globex = await server.addTenant('globex')
      const create = async (tenant: TestTenant, body: unknown) => {
        const response = await tenant.scim('POST', '/Users', body)
        assert.equal(response.status, 201, response.text)
        return response.body.id as string
      }
      ids.bob = await create(acme, employee('bob@acme.test', { title: 'Head of Sales' }))
      ids.alice = await create(
        acme,
        employee('alice@acme.test', {
          title: 'Account Executive',
          phoneNumbers: [{ type: 'work', value: '+16175551212' }],
          [ENTERPRISE]: { department: 'Sales', manager: { value: ids.bob } },
        }),
      )
      ids.gina = await create(globex, employee('gina@globex.test'))
      const createGroup = async (tenant: TestTenant, body: unknown) => {
        const response = await tenant.scim('POST', '/Groups', body)
        assert.equal(response.status, 201, response.text)
        return response.body.id as string
      }
      ids.eng = await createGroup(
        acme,
        groupBody('Engineering', { externalId: 'ext-eng', members: membersOf(ids.alice) }),
      )
      ids.all = await createGroup(acme, groupBody('All Staff', { members: membersOf(ids.eng, ids.bob) }))
      ids.ops = await createGroup(globex, groupBody('Operations', { members: membersOf(ids.gina) }))
      const revoked = await withToken(server.server, server.scimUrl, acme.tenant, ['scim'])
      await revokeAccessToken(server.server.db, acme.tenant.id, revoked.tokenId, new Date().toISOString())
      const apiOnly = await withToken(server.server, server.scimUrl, acme.tenant, ['api'])
      clients = {
        tenant: acme.scim,
        none: scimClient(server.scimUrl, undefined),
        unknown: scimClient(server.scimUrl, `rst_${'A'.repeat(43)}`),
        revoked: revoked.scim,
        'api-scope': apiOnly.scim,
      }
    })
    after(() => server.close())

    /** What the tenant's client sees (users and groups) and what the database holds. */
    const snapshot = async () => {
      const users = await acme.scim('GET', '/Users?count=1000')
      assert.equal(users.status, 200, users.text)
      const groups = await acme.scim('GET', '/Groups?count=1000')
      assert.equal(groups.status, 200, groups.text)
      return {
        users: canonicalResources(users.body.Resources),
        groups: canonicalResources(groups.body.Resources),
        stored: await storedState(server.server.db),
      }
    }

    it('has at least 70 cases', () => {
      assert.ok(CASES.length >= 70, `only ${CASES.length} cases`)
    })

    it('has at least 30 cases on /Groups', () => {
      assert.ok(groupCases.length >= 30, `only ${groupCases.length} group cases`)
    })

    for (const testCase of CASES) {
      it(testCase.name, async () => {
        const before = await snapshot()
        const body = testCase.raw !== undefined ? testCase.raw : testCase.body
        const response = await clients[testCase.auth ?? 'tenant'](
          testCase.method,
          fill(testCase.path),
          typeof body === 'string'
            ? fill(body)
            : body === undefined
              ? undefined
              : JSON.parse(fill(JSON.stringify(body))),
          testCase.headers,
        )
        let scimType = testCase.scimType
        if (Array.isArray(scimType)) {
          assert.ok(scimType.includes(response.body?.scimType), `scimType: ${response.text}`)
          scimType = response.body.scimType as string
        }
        const detail = testCase.detail && new RegExp(fill(testCase.detail.source), testCase.detail.flags)
        assertScimError(response, testCase.status, scimType, detail)
        assert.deepEqual(await snapshot(), before, 'the request changed stored data')
      })
    }
  })
}

interface EdgeCase {
  name: string
  method: string
  path: string
  body?: unknown
  /** The right answer when there is one; otherwise any status below 500 will do. */
  status?: number
}

/** Inputs at or past the limits: whatever the answer, it is never a 5xx, always SCIM, and writes nothing. */
const EDGE_CASES: EdgeCase[] = [
  {
    name: 'a flat chain of 1100 `or` terms within the length limit is answered',
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], filter: Array.from({ length: 1100 }, () => 'id pr').join(' or ') },
    status: 200,
  },
  {
    name: 'a flat chain of 900 `or` terms inside a value filter is answered',
    method: 'POST',
    path: '/Users/.search',
    body: {
      schemas: [SEARCH],
      filter: `emails[${Array.from({ length: 900 }, () => 'type pr').join(' or ')}]`,
    },
    status: 200,
  },
  {
    name: 'sortBy a multi-valued attribute without "primary" (groups) is answered',
    method: 'GET',
    path: '/Users?sortBy=groups',
    status: 200,
  },
  {
    name: 'sortBy groups.value is answered',
    method: 'GET',
    path: '/Users?sortBy=groups.value&sortOrder=descending',
    status: 200,
  },
  {
    name: 'sortBy schemas is answered',
    method: 'GET',
    path: '/Users?sortBy=schemas',
  },
  {
    name: 'a path with invalid percent-encoding is a 400 SCIM error',
    method: 'GET',
    path: '/Users/%E0%A4%A',
    status: 400,
  },
  {
    name: 'a URL longer than the header limit gets a SCIM error',
    method: 'GET',
    path: `/Users/${'a'.repeat(20_000)}`,
  },
  {
    name: 'a body with a __proto__ key is rejected as invalidSyntax',
    method: 'POST',
    path: '/Users',
    body: '{"__proto__": {"admin": true}, "userName": "proto@acme.test"}',
    status: 400,
  },
]

for (const database of TEST_DATABASES) {
  describe(`inputs at the limits never produce a 5xx (${EDGE_CASES.length} cases) [${database}]`, () => {
    let server: TestServer
    let acme: TestTenant
    before(async () => {
      server = await startTestServer({}, { database })
      acme = await server.addTenant('acme')
      const created = await acme.scim('POST', '/Users', employee('alice@acme.test'))
      assert.equal(created.status, 201, created.text)
    })
    after(() => server.close())

    for (const edge of EDGE_CASES) {
      it(edge.name, async () => {
        const before = await storedState(server.server.db)
        const response = await acme.scim(edge.method, edge.path, edge.body)
        assert.ok(response.status < 500, `${response.status}: ${response.text.slice(0, 300)}`)
        if (edge.status !== undefined) assert.equal(response.status, edge.status, response.text.slice(0, 300))
        if (response.status >= 400) assertScimError(response, response.status, response.body?.scimType)
        else if (response.text !== '') assertScimContentType(response)
        assert.deepEqual(await storedState(server.server.db), before, 'the request changed stored data')
      })
    }
  })
}
