import type { FastifyInstance } from 'fastify'
import { notFound } from '../../scim/errors.js'
import { allSchemas, findSchema, resourceDescriptors } from '../../scim/schema/registry.js'
import type { SchemaDefinition } from '../../scim/schema/types.js'
import type { Links } from '../links.js'
import { listResponse, sendScim } from './reply.js'

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

export interface DiscoveryOptions {
  links: Links
  maxPageSize: number
}

/** /ServiceProviderConfig, /ResourceTypes and /Schemas, all rendered from the schema registry (RFC 7644 §4). */
export async function discoveryRoutes(app: FastifyInstance, options: DiscoveryOptions): Promise<void> {
  const { links } = options
  const renderSchema = (schema: SchemaDefinition) => ({
    schemas: [SCHEMA_SCHEMA],
    ...schema,
    meta: { resourceType: 'Schema', location: `${links.scimBaseUrl}/Schemas/${schema.id}` },
  })
  const resourceTypes = () =>
    resourceDescriptors.map(({ resourceType }) => ({
      schemas: [RESOURCE_TYPE_SCHEMA],
      ...resourceType,
      meta: {
        resourceType: 'ResourceType',
        location: `${links.scimBaseUrl}/ResourceTypes/${resourceType.id}`,
      },
    }))
  const serviceProviderConfig = () => ({
    schemas: [SPC_SCHEMA],
    documentationUri: 'https://github.com/roster/roster#readme',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.maxPageSize },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description:
          'A Roster access token (Settings → Access tokens), sent as "Authorization: Bearer <token>".',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${links.scimBaseUrl}/ServiceProviderConfig` },
  })

  app.get('/ServiceProviderConfig', async (_request, reply) => sendScim(reply, 200, serviceProviderConfig()))
  app.get('/ResourceTypes', async (_request, reply) => {
    const types = resourceTypes()
    return sendScim(reply, 200, listResponse(types, types.length, 1))
  })
  app.get<{ Params: { id: string } }>('/ResourceTypes/:id', async (request, reply) => {
    const found = resourceTypes().find((type) => type.id.toLowerCase() === request.params.id.toLowerCase())
    if (!found) throw notFound(`ResourceType ${request.params.id} not found`)
    return sendScim(reply, 200, found)
  })
  app.get('/Schemas', async (_request, reply) => {
    const schemas = allSchemas.map(renderSchema)
    return sendScim(reply, 200, listResponse(schemas, schemas.length, 1))
  })
  app.get<{ Params: { id: string } }>('/Schemas/:id', async (request, reply) => {
    const schema = findSchema(request.params.id)
    if (!schema) throw notFound(`Schema ${request.params.id} not found`)
    return sendScim(reply, 200, renderSchema(schema))
  })
}
