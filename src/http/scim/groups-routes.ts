import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { groupJsonChunks } from '../../directory/group-json.js'
import {
  createGroup,
  deleteGroup,
  type GroupsContext,
  getGroup,
  patchGroup,
  replaceGroup,
} from '../../directory/groups-service.js'
import { etagOf } from '../../directory/user-record.js'
import type { Db } from '../../store/database.js'
import type { SqlDialect } from '../../store/dialects/sql-dialect.js'
import { compileMemberValueFilter } from '../../store/group-filter-sql.js'
import { queryGroups } from '../../store/group-query.js'
import type { GroupRow } from '../../store/groups-repository.js'
import type { Links } from '../links.js'
import { sendScimChunks } from './chunked-reply.js'
import {
  type ListRequest,
  type Projection,
  parseListRequest,
  parseProjection,
  parseSearchRequest,
} from './list-request.js'
import { LIST_RESPONSE_SCHEMA } from './reply.js'

export interface GroupsRoutesOptions {
  db: Db
  dialect: SqlDialect
  links: Links
  maxPageSize: number
}

type IdParams = { Params: { id: string } }

/** /Groups (RFC 7644 §3), with the membership forms Entra and Okta send (entra-scim.md §4). */
export async function groupsRoutes(app: FastifyInstance, options: GroupsRoutesOptions): Promise<void> {
  const { db, dialect, links } = options
  const context = (request: FastifyRequest): GroupsContext => ({
    db,
    tenant: request.tenant,
    tokenId: request.principal.tokenId,
    requestId: request.id,
    memberFilter: (filter, text) => compileMemberValueFilter(filter, dialect, text),
  })
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>
  const ifMatch = (request: FastifyRequest) => request.headers['if-match']
  const sendGroup = (reply: FastifyReply, status: number, row: GroupRow, projection: Projection) =>
    sendScimChunks(
      reply,
      status,
      groupJsonChunks(db, row, links.scimBaseUrl, projection),
      etagOf(row.version),
    )

  const list = async (request: FastifyRequest, reply: FastifyReply, list: ListRequest) => {
    const { totalResults, rows } = await queryGroups(db, request.tenant.id, list, dialect)
    async function* chunks(): AsyncGenerator<string> {
      yield `{"schemas":["${LIST_RESPONSE_SCHEMA}"],"totalResults":${totalResults},"startIndex":${list.startIndex},` +
        `"itemsPerPage":${rows.length},"Resources":[`
      for (const [index, row] of rows.entries()) {
        if (index > 0) yield ','
        yield* groupJsonChunks(db, row, links.scimBaseUrl, list)
      }
      yield ']}'
    }
    return sendScimChunks(reply, 200, chunks())
  }

  app.get('/Groups', async (request, reply) =>
    list(request, reply, parseListRequest(query(request), options.maxPageSize)),
  )

  app.post('/Groups/.search', async (request, reply) =>
    list(request, reply, parseSearchRequest(request.body, options.maxPageSize)),
  )

  app.get<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = parseProjection(query(request))
    return sendGroup(reply, 200, await getGroup(context(request), request.params.id), projection)
  })

  app.post('/Groups', async (request, reply) => {
    const projection = parseProjection(query(request))
    const row = await createGroup(context(request), request.body)
    reply.header('location', `${links.scimBaseUrl}/Groups/${row.id}`)
    return sendGroup(reply, 201, row, projection)
  })

  app.put<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = parseProjection(query(request))
    const row = await replaceGroup(context(request), request.params.id, request.body, ifMatch(request))
    return sendGroup(reply, 200, row, projection)
  })

  // Entra expects 204 and warns against returning all members (entra-scim.md §4); a client that
  // wants the group back asks with `attributes` or `excludedAttributes`.
  app.patch<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = parseProjection(query(request))
    const row = await patchGroup(context(request), request.params.id, request.body, ifMatch(request))
    if (!projection.attributes && !projection.excludedAttributes) {
      return reply.code(204).header('etag', etagOf(row.version)).send()
    }
    // Members only when named in `attributes`: a PATCH response never lists them otherwise.
    const withoutMembers = projection.attributes
      ? projection
      : { ...projection, excludedAttributes: [...(projection.excludedAttributes ?? []), { name: 'members' }] }
    return sendGroup(reply, 200, row, withoutMembers)
  })

  app.delete<IdParams>('/Groups/:id', async (request, reply) => {
    await deleteGroup(context(request), request.params.id, ifMatch(request))
    return reply.code(204).send()
  })
}
