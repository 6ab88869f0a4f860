import {
  DEPARTMENTS,
  type Department,
  OFFICES,
  PROJECT_WORDS,
  SE_FAMILY,
  SE_GIVEN,
  swedishMobile,
  US_FAMILY,
  US_GIVEN,
  usMobile,
} from './company-profile.js'
import type { SourceGroup, SourceSnapshot, SourceUser } from './connector.js'
import { mulberry32, pick, pickWeighted, uuid } from './seeded-random.js'

/**
 * A synthetic but plausible company directory, the same for the same options: the sample directory
 * shipped in `samples/`, test fixtures, and the 100,000-user benchmark all come from here.
 *
 * The shape: a CEO; six departments, each under a C-level or VP head; below the head, tiers of
 * directors and managers sized so that nobody has more than ~7 direct reports, down to individual
 * contributors (so a 300-person company is 4–5 levels deep and a 100,000-person one about 8). People sit
 * in US or Swedish offices (E.164 work numbers +1 / +46, the company's US or Swedish legal entity as
 * companyName). About 2 % of individual contributors are disabled. Groups: "All staff", "Managers" with
 * "Engineering Managers" nested inside it, one per department, one per office, then one per team, then
 * projects, until `groups` is reached.
 *
 * Speed matters (the benchmark asks for 100,000 users): one pass, no sorting, no validation; a
 * seeded PRNG (mulberry32, 32-bit state) instead of crypto.
 */

export interface GenerateDirectoryOptions {
  readonly users: number
  readonly groups: number
  readonly seed: number
  /** Domain of userPrincipalName and mail. */
  readonly domain?: string
}

const SPAN = 7
const DISABLED_SHARE = 0.02

export function generateDirectory(options: GenerateDirectoryOptions): SourceSnapshot {
  const { users: userCount, groups: groupCount, seed } = options
  if (!Number.isInteger(userCount) || userCount < 0)
    throw new TypeError('users must be a non-negative integer')
  if (!Number.isInteger(groupCount) || groupCount < 0)
    throw new TypeError('groups must be a non-negative integer')
  const domain = options.domain ?? 'auroralabs.example'
  const random = mulberry32(seed)
  const newId = (): string => uuid(random)

  const users: SourceUser[] = []
  const departmentOf: number[] = []
  const officeOf: number[] = []
  const hasReports: boolean[] = []
  const taken = new Map<string, number>()
  const person = (
    department: Department | undefined,
    jobTitle: string,
    manager: number | undefined,
    individual: boolean,
  ): number => {
    const index = users.length
    const officeIndex = pickWeighted(OFFICES, random())
    const office = OFFICES[officeIndex]!
    const swedish = office.country === 'SE'
    const givenName = pick(swedish ? SE_GIVEN : US_GIVEN, random())
    const surname = pick(swedish ? SE_FAMILY : US_FAMILY, random())
    const base = `${mailPart(givenName)}.${mailPart(surname)}`
    const seen = taken.get(base) ?? 0
    taken.set(base, seen + 1)
    const userPrincipalName = `${seen === 0 ? base : `${base}${seen + 1}`}@${domain}`
    const attributes: SourceUser['attributes'] = {
      userPrincipalName,
      mail: userPrincipalName,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      jobTitle,
      department: department?.name ?? 'Executive',
      employeeId: String(index + 1).padStart(6, '0'),
      companyName: swedish ? 'Aurora Labs AB' : 'Aurora Labs Inc.',
      division: department?.division ?? 'Executive Office',
      costCenter: department?.costCenter ?? 'CC-1000',
      telephoneNumber: office.phone(random),
      city: office.city,
      country: office.country,
      accountEnabled: !(individual && random() < DISABLED_SHARE),
    }
    if (random() < 0.6) attributes.mobile = swedish ? swedishMobile(random) : usMobile(random)
    if (manager !== undefined) {
      attributes.manager = users[manager]!.id
      hasReports[manager] = true
    }
    users.push({ id: newId(), attributes })
    departmentOf.push(department === undefined ? -1 : DEPARTMENTS.indexOf(department))
    officeOf.push(officeIndex)
    hasReports.push(false)
    return index
  }

  if (userCount > 0) {
    const ceo = person(undefined, 'Chief Executive Officer', undefined, false)
    const sizes = apportion(
      userCount - 1,
      DEPARTMENTS.map((department) => department.weight),
    )
    DEPARTMENTS.forEach((department, d) => {
      const size = sizes[d]!
      if (size === 0) return
      const head = person(department, department.head, ceo, false)
      let above = [head]
      const tiers = tierSizes(size - 1)
      tiers.forEach((tierSize, t) => {
        const fromBottom = tiers.length - 1 - t
        const tier: number[] = []
        for (let j = 0; j < tierSize; j++) {
          const manager = above[Math.floor((j * above.length) / tierSize)]!
          const title =
            fromBottom === 0
              ? pick(department.individuals, random())
              : department.managers[Math.min(fromBottom, 3) - 1]!
          tier.push(person(department, title, manager, fromBottom === 0))
        }
        above = tier
      })
    })
  }

  return {
    users,
    groups: makeGroups({ users, departmentOf, officeOf, hasReports, groupCount, random, newId }),
  }
}

/** Tier sizes below a department head, top first: each tier has ≤ SPAN reports per person above it. */
function tierSizes(people: number): number[] {
  const tiers: number[] = []
  let remaining = people
  while (remaining > SPAN) {
    const managers = Math.ceil(remaining / (SPAN + 1))
    tiers.unshift(remaining - managers)
    remaining = managers
  }
  if (remaining > 0) tiers.unshift(remaining)
  return tiers
}

function makeGroups(context: {
  users: SourceUser[]
  departmentOf: number[]
  officeOf: number[]
  hasReports: boolean[]
  groupCount: number
  random: () => number
  newId: () => string
}): SourceGroup[] {
  const { users, departmentOf, officeOf, hasReports, groupCount, random, newId } = context
  const groups: SourceGroup[] = []
  const names = new Set<string>()
  const add = (displayName: string, description: string, members: string[]): string | undefined => {
    if (groups.length >= groupCount) return undefined
    names.add(displayName)
    const id = newId()
    const mailNickname = displayName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
    groups.push({
      id,
      displayName,
      attributes: { description, mailNickname, securityEnabled: true },
      members,
    })
    return id
  }
  const ids = (keep: (index: number) => boolean): string[] => {
    const members: string[] = []
    for (let i = 0; i < users.length; i++) if (keep(i)) members.push(users[i]!.id)
    return members
  }
  const engineering = DEPARTMENTS.findIndex((department) => department.name === 'Engineering')
  add(
    'All staff',
    'Everyone employed by Aurora Labs',
    ids(() => true),
  )
  const managersMembers = ids((i) => hasReports[i]! && departmentOf[i] !== engineering)
  add('Managers', 'Everyone with direct reports', managersMembers)
  const engineeringManagers = add(
    'Engineering Managers',
    'Managers in Engineering (nested in Managers)',
    ids((i) => hasReports[i]! && departmentOf[i] === engineering),
  )
  if (engineeringManagers !== undefined) managersMembers.push(engineeringManagers)
  DEPARTMENTS.forEach((department, d) => {
    add(
      department.name,
      `The ${department.name} department`,
      ids((i) => departmentOf[i] === d),
    )
  })
  OFFICES.forEach((office, o) => {
    add(
      `Office ${office.city}`,
      `Everyone based in ${office.city}`,
      ids((i) => officeOf[i] === o),
    )
  })
  // Teams: each manager with their direct reports, bottom-up so the small teams come first.
  const reports = new Map<string, string[]>()
  for (const user of users) {
    const manager = user.attributes.manager
    if (typeof manager !== 'string') continue
    const team = reports.get(manager)
    if (team === undefined) reports.set(manager, [user.id])
    else team.push(user.id)
  }
  for (let i = users.length - 1; i >= 0 && groups.length < groupCount; i--) {
    const team = reports.get(users[i]!.id)
    if (team === undefined) continue
    // Two managers may share a name; group names are unique in most targets (Roster answers 409).
    const name = `Team ${users[i]!.attributes.displayName}`
    add(
      names.has(name) ? `${name} (${users[i]!.attributes.employeeId})` : name,
      `${users[i]!.attributes.displayName} and their direct reports`,
      [users[i]!.id, ...team],
    )
  }
  for (let n = 1; groups.length < groupCount; n++) {
    const size = Math.min(users.length, 5 + Math.floor(random() * 16))
    const members = new Set<string>()
    while (members.size < size) members.add(users[Math.floor(random() * users.length)]!.id)
    add(`Project ${pick(PROJECT_WORDS, random())} ${n}`, 'A cross-functional project group', [...members])
  }
  return groups
}

/** Splits `total` in proportion to `weights` (largest remainder), so the sizes always add up. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((weight) => (total * weight) / sum)
  const sizes = exact.map(Math.floor)
  const order = exact
    .map((value, i) => [value - Math.floor(value), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
  const shortfall = total - sizes.reduce((a, b) => a + b, 0)
  for (let k = 0; k < shortfall; k++) sizes[order[k]![1]]!++
  return sizes
}

const mailParts = new Map<string, string>()

/** Lower-case ASCII for addresses: Åsa Öberg → asa.oberg, O'Brien → obrien. Memoised: few names. */
function mailPart(name: string): string {
  let part = mailParts.get(name)
  if (part === undefined) {
    part = name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
    mailParts.set(name, part)
  }
  return part
}
