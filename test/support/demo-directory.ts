import type { ScimClient } from './server.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

interface DemoPerson {
  given: string
  family: string
  title: string
  department: string
  reports?: DemoPerson[]
}

const p = (given: string, family: string, title: string, department: string, reports?: DemoPerson[]) => ({
  given,
  family,
  title,
  department,
  ...(reports === undefined ? {} : { reports }),
})

/** A small company: a CEO, five departments, a few teams each (41 people). */
export const DEMO_COMPANY: DemoPerson = p('Margaret', 'Okafor', 'Chief Executive Officer', 'Executive', [
  p('Daniel', 'Reyes', 'VP Engineering', 'Engineering', [
    p('Priya', 'Natarajan', 'Engineering Manager, Platform', 'Engineering', [
      p('Lukas', 'Brandt', 'Senior Software Engineer', 'Engineering'),
      p('Amara', 'Diallo', 'Software Engineer', 'Engineering'),
      p('Kenji', 'Watanabe', 'Site Reliability Engineer', 'Engineering'),
    ]),
    p('Sofia', 'Lindqvist', 'Engineering Manager, Product', 'Engineering', [
      p('Mateo', 'García', 'Senior Frontend Engineer', 'Engineering'),
      p('Hannah', 'Cohen', 'Software Engineer', 'Engineering'),
      p('Oliver', 'Nguyen', 'QA Engineer', 'Engineering'),
    ]),
    p('Ada', 'Lovelace', 'Principal Engineer', 'Engineering'),
  ]),
  p('Grace', 'Mensah', 'VP Sales', 'Sales', [
    p('Thomas', 'Müller', 'Sales Director, EMEA', 'Sales', [
      p('Chloé', 'Martin', 'Account Executive', 'Sales'),
      p('Jonas', 'Berg', 'Account Executive', 'Sales'),
    ]),
    p('Isabella', 'Rossi', 'Sales Director, Americas', 'Sales', [
      p('Marcus', 'Johnson', 'Account Executive', 'Sales'),
      p('Emily', 'Clark', 'Sales Development Rep', 'Sales'),
      p('Diego', 'Fernández', 'Sales Engineer', 'Sales'),
    ]),
  ]),
  p('Noah', 'Kowalski', 'VP Marketing', 'Marketing', [
    p('Layla', 'Haddad', 'Content Lead', 'Marketing', [p('Ethan', 'Price', 'Copywriter', 'Marketing')]),
    p('Mei', 'Chen', 'Product Marketing Manager', 'Marketing'),
    p('Samuel', 'Adeyemi', 'Designer', 'Marketing'),
  ]),
  p('Olivia', 'Schmidt', 'Chief Financial Officer', 'Finance', [
    p('Rahul', 'Mehta', 'Controller', 'Finance', [
      p('Zoe', 'Papadopoulos', 'Accountant', 'Finance'),
      p('Liam', "O'Brien", 'Financial Analyst', 'Finance'),
    ]),
    p('Nora', 'Virtanen', 'Procurement Lead', 'Finance'),
  ]),
  p('Fatima', 'Al-Sayed', 'VP People', 'People', [
    p('Benjamin', 'Dubois', 'HR Business Partner', 'People'),
    p('Aisha', 'Karimi', 'Recruiter', 'People'),
    p('Lucas', 'Silva', 'People Operations Specialist', 'People'),
  ]),
])

function slugOf(given: string, family: string): string {
  return `${given}.${family}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase()
}

/** POSTs the company over SCIM, managers first; returns the ids by userName. */
export async function seedDemoCompany(
  scim: ScimClient,
  domain = 'acme.example',
): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  let n = 0
  const post = async (person: DemoPerson, managerId: string | undefined) => {
    n++
    const userName = `${slugOf(person.given, person.family)}@${domain}`
    const response = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName,
      externalId: `EMP-${String(1000 + n)}`,
      name: {
        givenName: person.given,
        familyName: person.family,
        formatted: `${person.given} ${person.family}`,
      },
      displayName: `${person.given} ${person.family}`,
      title: person.title,
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
      phoneNumbers: [{ value: `+1617555${String(1000 + n).padStart(4, '0')}`, type: 'work' }],
      addresses: [{ type: 'work', locality: 'Boston', region: 'MA', country: 'US', primary: true }],
      preferredLanguage: 'en-US',
      [ENTERPRISE]: {
        employeeNumber: String(1000 + n),
        department: person.department,
        costCenter: `CC-${person.department.slice(0, 3).toUpperCase()}`,
        organization: 'Acme Corp',
        ...(managerId === undefined ? {} : { manager: { value: managerId } }),
      },
    })
    if (response.status !== 201) throw new Error(`seeding ${userName}: ${response.status} ${response.text}`)
    ids.set(userName, response.body.id as string)
    for (const report of person.reports ?? []) await post(report, response.body.id as string)
  }
  await post(DEMO_COMPANY, undefined)
  return ids
}
