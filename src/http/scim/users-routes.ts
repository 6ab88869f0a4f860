import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { groupsOfUsers, withGroupsJson } from '../../directory/user-groups.js'
import { renderUserJson } from '../../directory/user-json.js'
import { displayNameOf, etagOf, managerNameOf, renderUser } from '../../directory/user-record.js'
import {
  createUser,
  type DirectoryContext,
  deleteUser,
  getUser,
  patchUser,
  replaceUser,
} from '../../directory/users-service.js'
import { badRequest } from '../../scim/errors.js'
import type { Json } from '../../scim/resource/json.js'
import { projectResource } from '../../scim/resource/project.js'
import { userResource } from '../../scim/schema/registry.js'
import type { Db } from '../../store/database.js'
import type { SqlDialect } from '../../store/dialects/sql-dialect.js'
import { runRead } from '../../store/read-units.js'
import { queryUsers } from '../../store/user-query.js'
import { findUserNames, type RenderableUser, type UserRowWithManager } from '../../store/users-repository.js'
import type { Links } from '../links.js'
import { type ListRequest, type Projection, parseListRequest, parseProjection } from './list-request.js'
import { listResponse, ScimJson, sendScim } from './reply.js'

export interface UsersRoutesOptions {
  db: Db
  dialect: SqlDialect
  links: Links
  maxPageSize: number
}

type IdParams = { Params: { id: string } }

/** Ids of the rows that may belong to a group: all of them, unless the row says it is in none. */
function inSomeGroup(rows: (RenderableUser | UserRowWithManager)[]): string[] {
  return rows.flatMap((row) => ('in_groups' in row && !row.in_groups ? [] : [row.id]))
}

/** /Users (RFC 7644 §3), with the leniency Microsoft Entra needs (docs entra-scim.md §3). */
export async function usersRoutes(app: FastifyInstance, options: UsersRoutesOptions): Promise<void> {
  const { db, links } = options
  const context = (request: FastifyRequest): DirectoryContext => ({
    db,
    tenant: request.tenant,
    tokenId: request.principal.tokenId,
    requestId: request.id,
  })
  /**
   * Renders rows with their managers' display names: joined rows carry them; rows straight from a
   * write get them in one lookup for the whole batch.
   */
  const render = async (
    tenantId: string,
    rows: (RenderableUser | UserRowWithManager)[],
    projection: Projection = {},
    /** Already looked up (an empty map for a user just created: it is in no group yet). */
    known?: Map<string, Json[]>,
  ) => {
    const unnamed = rows.flatMap((row) =>
      row.manager_id && !('manager_user_name' in row) ? [row.manager_id] : [],
    )
    const looked = new Map(
      (await findUserNames(db, tenantId, [...new Set(unnamed)])).map((user) => [
        user.id,
        displayNameOf(user),
      ]),
    )
    const managerName = (row: RenderableUser | UserRowWithManager) =>
      managerNameOf(row) ?? (row.manager_id ? looked.get(row.manager_id) : undefined)
    // Stored users hold no returned:never/request attributes (password is dropped on input), so
    // without attributes/excludedAttributes the default projection is the whole rendering, which
    // then goes out as JSON text spliced from storage.
    const groups =
      known ??
      (await groupsOfUsers(
        db,
        tenantId,
        rows.map((row) => row.id),
        links.scimBaseUrl,
      ))
    if (!projection.attributes && !projection.excludedAttributes) {
      return rows.map(
        (row) =>
          new ScimJson(
            withGroupsJson(renderUserJson(row, links.scimBaseUrl, managerName(row)), groups.get(row.id)),
          ),
      )
    }
    return rows.map((row) => {
      const rendered = renderUser(row, links.scimBaseUrl, managerName(row))
      const memberships = groups.get(row.id)
      if (memberships) rendered.groups = memberships
      return projectResource(rendered, userResource, projection)
    })
  }
  const renderOne = async (
    request: FastifyRequest,
    row: RenderableUser | UserRowWithManager,
    projection: Projection,
    groups?: Map<string, Json[]>,
  ) => (await render(request.tenant.id, [row], projection, groups))[0]
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>
  const ifMatch = (request: FastifyRequest) => request.headers['if-match']

  const list = async (request: FastifyRequest, reply: FastifyReply, list: ListRequest) => {
    const tenantId = request.tenant.id
    const { totalResults, rows, groups } = await runRead(db, async (read) => {
      const page = await queryUsers(read, tenantId, list, options.dialect)
      const ids = inSomeGroup(page.rows)
      return { ...page, groups: await groupsOfUsers(read, tenantId, ids, links.scimBaseUrl) }
    })
    const resources = await render(tenantId, rows, list, groups)
    return sendScim(reply, 200, listResponse(resources, totalResults, list.startIndex))
  }

  app.get('/Users', async (request, reply) =>
    list(request, reply, parseListRequest(query(request), options.maxPageSize)),
  )

  app.post('/Users/.search', async (request, reply) => {
    const body = request.body ?? {}
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest(
        'invalidSyntax',
        'a .search body must be a JSON object (RFC 7644 §3.4.3 SearchRequest)',
      )
    }
    return list(request, reply, parseListRequest(body as Record<string, unknown>, options.maxPageSize))
  })

  app.get<IdParams>('/Users/:id', async (request, reply) => {
    const projection = parseProjection(query(request))
    // The user and its groups on one acquisition of the connection (store/read-units.ts).
    const { row, groups } = await runRead(db, async (read) => {
      const row = await getUser({ db: read, tenant: request.tenant }, request.params.id)
      return {
        row,
        groups: await groupsOfUsers(read, request.tenant.id, inSomeGroup([row]), links.scimBaseUrl),
      }
    })
    return sendScim(reply, 200, await renderOne(request, row, projection, groups), etagOf(row.version))
  })

  app.post('/Users', async (request, reply) => {
    const row = await createUser(context(request), request.body)
    reply.header('location', `${links.scimBaseUrl}/Users/${row.id}`)
    return sendScim(
      reply,
      201,
      await renderOne(request, row, parseProjection(query(request)), new Map()),
      etagOf(row.version),
    )
  })

  app.put<IdParams>('/Users/:id', async (request, reply) => {
    const row = await replaceUser(context(request), request.params.id, request.body, ifMatch(request))
    return sendScim(
      reply,
      200,
      await renderOne(request, row, parseProjection(query(request))),
      etagOf(row.version),
    )
  })

  // RFC 7644 §3.5.2 allows 204 or 200 with the resource. Entra takes either, Microsoft's Postman
  // collection expects 204; a client that wants the resource asks for it with `attributes`.
  app.patch<IdParams>('/Users/:id', async (request, reply) => {
    const projection = parseProjection(query(request))
    const row = await patchUser(context(request), request.params.id, request.body, ifMatch(request))
    if (!projection.attributes && !projection.excludedAttributes) {
      return reply.code(204).header('etag', etagOf(row.version)).send()
    }
    return sendScim(reply, 200, await renderOne(request, row, projection), etagOf(row.version))
  })

  app.delete<IdParams>('/Users/:id', async (request, reply) => {
    await deleteUser(context(request), request.params.id, ifMatch(request))
    return reply.code(204).send()
  })
}
