import type { AttributePath } from '../scim/filter/ast.js'
import { isMembersKey } from '../scim/membership/plan-group-patch.js'
import { type ProjectionOptions, projectResource } from '../scim/resource/project.js'
import { groupResource } from '../scim/schema/registry.js'
import type { Db } from '../store/database.js'
import { readMemberPage } from '../store/group-members-repository.js'
import type { GroupRow } from '../store/groups-repository.js'
import { renderGroupHead, renderMember } from './group-record.js'

/** Members read per statement while a group is rendered: each page is one index range scan. */
export const MEMBER_PAGE_SIZE = 1000

const MEMBER_KEYS = ['value', '$ref', 'display', 'type'] as const
type MemberKey = (typeof MEMBER_KEYS)[number]

function isMembers(path: AttributePath): boolean {
  return isMembersKey(path.uri === undefined ? path.name : `${path.uri}:${path.name}`)
}

function memberKey(sub: string): MemberKey | undefined {
  return MEMBER_KEYS.find((key) => key.toLowerCase() === sub.toLowerCase())
}

/**
 * Which members' sub-attributes a response carries (RFC 7644 §3.4.2.5), or undefined when it
 * carries no members at all — `excludedAttributes=members` must never read them (entra-scim.md §4).
 */
export function memberSelection(projection: ProjectionOptions): ReadonlySet<MemberKey> | undefined {
  const all = new Set<MemberKey>(MEMBER_KEYS)
  if (projection.attributes?.length) {
    const asked = projection.attributes.filter(isMembers)
    if (asked.length === 0) return undefined
    if (asked.some((path) => path.sub === undefined)) return all
    // `value` identifies the member; it comes with any sub-attribute asked for.
    return new Set<MemberKey>([
      'value',
      ...asked.flatMap((path) => {
        const key = memberKey(path.sub ?? '')
        return key ? [key] : []
      }),
    ])
  }
  for (const path of projection.excludedAttributes ?? []) {
    if (!isMembers(path)) continue
    if (path.sub === undefined) return undefined
    const key = memberKey(path.sub)
    if (key && key !== 'value') all.delete(key)
  }
  return all
}

function pick(member: Record<string, unknown>, keys: ReadonlySet<MemberKey>): Record<string, unknown> {
  if (keys.size === MEMBER_KEYS.length) return member
  const picked: Record<string, unknown> = {}
  for (const key of MEMBER_KEYS) if (keys.has(key) && member[key] !== undefined) picked[key] = member[key]
  return picked
}

/**
 * A group as JSON text, in chunks: the projected attributes, then its members a page at a time
 * (keyset-paged, so memory stays bounded whatever the group's size). `members` is left out when
 * the group has none. Pages are separate reads: a membership change made while a large group is
 * being sent may or may not show in it; meta.version is the group's when the read began.
 */
export async function* groupJsonChunks(
  db: Db,
  row: GroupRow,
  baseUrl: string,
  projection: ProjectionOptions,
): AsyncGenerator<string> {
  const head = JSON.stringify(projectResource(renderGroupHead(row, baseUrl), groupResource, projection))
  const keys = memberSelection(projection)
  if (!keys) {
    yield head
    return
  }
  let page = await readMemberPage(db, row.tenant_id, row.id, undefined, MEMBER_PAGE_SIZE)
  if (page.length === 0) {
    yield head
    return
  }
  yield `${head.slice(0, -1)}${head === '{}' ? '' : ','}"members":[`
  for (let first = true; ; first = false) {
    const members = page.map((member) => JSON.stringify(pick(renderMember(member, baseUrl), keys)))
    yield `${first ? '' : ','}${members.join(',')}`
    const last = page.at(-1)
    if (page.length < MEMBER_PAGE_SIZE || !last) break
    page = await readMemberPage(db, row.tenant_id, row.id, last.member_id, MEMBER_PAGE_SIZE)
    if (page.length === 0) break
  }
  yield ']}'
}
