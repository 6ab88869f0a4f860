/**
 * Absolute URLs the API writes into responses (meta.location, Location, $ref). Read at request
 * time, because with PORT=0 the real port is only known once the server listens.
 */
export interface Links {
  /** e.g. https://hr.example.com/scim/v2 */
  scimBaseUrl: string
}
