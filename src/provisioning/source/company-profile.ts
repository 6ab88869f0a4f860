/**
 * The fictional company behind generated directories ("Aurora Labs"): its departments with their
 * divisions, cost centres and titles, its offices with their phone-number plans, and the name lists.
 * Data only; `generated-directory.ts` draws from it.
 */

export interface Department {
  readonly name: string
  readonly weight: number
  readonly division: string
  readonly costCenter: string
  readonly head: string
  /** Titles of managers 1, 2 and 3+ tiers above individual contributors. */
  readonly managers: readonly [string, string, string]
  readonly individuals: readonly string[]
}

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering',
    weight: 34,
    division: 'Product & Technology',
    costCenter: 'CC-1100',
    head: 'Chief Technology Officer',
    managers: ['Engineering Manager', 'Director of Engineering', 'VP of Engineering'],
    individuals: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Software Engineer',
      'Site Reliability Engineer',
      'QA Engineer',
      'Product Designer',
      'Data Engineer',
    ],
  },
  {
    name: 'Sales',
    weight: 20,
    division: 'Go-to-Market',
    costCenter: 'CC-1200',
    head: 'Chief Revenue Officer',
    managers: ['Sales Manager', 'Director of Sales', 'VP of Sales'],
    individuals: [
      'Account Executive',
      'Senior Account Executive',
      'Sales Development Representative',
      'Solutions Engineer',
    ],
  },
  {
    name: 'Support',
    weight: 16,
    division: 'Customer Experience',
    costCenter: 'CC-1300',
    head: 'VP of Customer Support',
    managers: ['Support Manager', 'Director of Support', 'Senior Director of Support'],
    individuals: ['Support Specialist', 'Senior Support Specialist', 'Technical Support Engineer'],
  },
  {
    name: 'Marketing',
    weight: 10,
    division: 'Go-to-Market',
    costCenter: 'CC-1400',
    head: 'Chief Marketing Officer',
    managers: ['Marketing Manager', 'Director of Marketing', 'VP of Marketing'],
    individuals: ['Marketing Specialist', 'Content Writer', 'Product Marketing Manager', 'Growth Analyst'],
  },
  {
    name: 'Finance',
    weight: 10,
    division: 'Operations',
    costCenter: 'CC-1500',
    head: 'Chief Financial Officer',
    managers: ['Finance Manager', 'Financial Controller', 'VP of Finance'],
    individuals: ['Accountant', 'Financial Analyst', 'Payroll Specialist', 'Accounts Payable Specialist'],
  },
  {
    name: 'People',
    weight: 10,
    division: 'Operations',
    costCenter: 'CC-1600',
    head: 'Chief People Officer',
    managers: ['HR Manager', 'Director of People', 'VP of People'],
    individuals: ['HR Generalist', 'Recruiter', 'People Partner', 'Talent Acquisition Specialist'],
  },
]

export interface Office {
  readonly city: string
  readonly country: 'US' | 'SE'
  /** Share of the company, in percent. */
  readonly weight: number
  readonly phone: (random: () => number) => string
}

const digits = (random: () => number, count: number): string =>
  String(Math.floor(random() * 10 ** count)).padStart(count, '0')
// US numbers use 555-0100…555-0199, the range reserved for fiction; Swedish ones are valid plan numbers.
const usPhone = (area: string) => (random: () => number) => `+1${area}55501${digits(random, 2)}`
export const OFFICES: readonly Office[] = [
  { city: 'San Francisco', country: 'US', weight: 30, phone: usPhone('415') },
  { city: 'New York', country: 'US', weight: 20, phone: usPhone('212') },
  { city: 'Austin', country: 'US', weight: 15, phone: usPhone('512') },
  {
    city: 'Stockholm',
    country: 'SE',
    weight: 25,
    phone: (random) => `+468${1 + Math.floor(random() * 9)}${digits(random, 7)}`,
  },
  {
    city: 'Gothenburg',
    country: 'SE',
    weight: 10,
    phone: (random) => `+4631${1 + Math.floor(random() * 9)}${digits(random, 6)}`,
  },
]
export const swedishMobile = (random: () => number): string =>
  `+467${'0236'[Math.floor(random() * 4)]}${digits(random, 7)}`
export const usMobile = (random: () => number): string => `+162855501${digits(random, 2)}`

export const US_GIVEN = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Maria',
  'Matthew',
  'Nancy',
  'Anthony',
  'Lisa',
  'Priya',
  'Aisha',
  'Wei',
  'Emily',
  'Kevin',
  'Michelle',
  'Jamal',
  'Olivia',
  'Diego',
  'Grace',
  'Ethan',
  'Hannah',
  'Noah',
  'Sofia',
]
export const US_FAMILY = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Patel',
  'Nguyen',
  'Kim',
  'Chen',
  "O'Brien",
  'Washington',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
]
export const SE_GIVEN = [
  'Erik',
  'Anna',
  'Lars',
  'Eva',
  'Karl',
  'Maria',
  'Anders',
  'Karin',
  'Johan',
  'Kristina',
  'Per',
  'Lena',
  'Mikael',
  'Sara',
  'Nils',
  'Ingrid',
  'Oskar',
  'Åsa',
  'Björn',
  'Elin',
  'Gustav',
  'Maja',
  'Linnéa',
  'Axel',
  'Ebba',
  'Hugo',
  'Saga',
  'Ali',
  'Amira',
  'Jonas',
]
export const SE_FAMILY = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Jansson',
  'Hansson',
  'Bengtsson',
  'Lindberg',
  'Lindström',
  'Åberg',
  'Öberg',
  'Sjöberg',
  'Holm',
  'Berg',
  'Ekström',
  'Lundqvist',
  'Wallin',
  'Björk',
  'Nyström',
  'Sandberg',
  'Hassan',
  'Mäkinen',
]

export const PROJECT_WORDS = [
  'Atlas',
  'Beacon',
  'Comet',
  'Delta',
  'Ember',
  'Falcon',
  'Glacier',
  'Harbor',
  'Iris',
  'Juniper',
]

/** Largest span of control; tiers are sized so that nobody has more direct reports. */
