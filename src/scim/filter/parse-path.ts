import type { AttributePath, PatchPath } from './ast.js'
import { runSyntax, type TokenCursor } from './lexer.js'
import { FilterParser } from './parse-filter.js'
import type { ParseResult } from './result.js'

/**
 * PATCH `path` (RFC 7644 §3.5.2): `attrPath` / `valuePath ["." subAttr]`, and the attribute names
 * of `sortBy`, `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.3, §3.4.2.5).
 */

/** `emails[type eq "work"].value` → { path: emails, filter, sub: 'value' }; errors are invalidPath. */
export function parsePatchPath(text: string): ParseResult<PatchPath> {
  return runSyntax(text, { label: 'path', scimType: 'invalidPath' }, (cursor) => {
    if (cursor.peek().kind === 'eof') throw cursor.failAt('is empty', 0)
    const { path, token } = cursor.attributePath()
    const result: PatchPath = { path }
    if (cursor.peek().kind === '[') {
      result.filter = new FilterParser(cursor).valueFilter(path, token)
      const sub = cursor.subAttribute()
      if (sub !== undefined) result.sub = sub
    }
    cursor.end('end of path')
    return result
  })
}

/** One attribute path, e.g. `sortBy=name.givenName`. */
export function parseAttributePath(text: string, label = 'attribute path'): ParseResult<AttributePath> {
  return runSyntax(text, { label, scimType: 'invalidPath' }, (cursor) => {
    const { path } = cursor.attributePath()
    cursor.end('end of attribute path')
    return path
  })
}

/**
 * `attributes=userName, name.givenName,emails`; empty input gives []. Microsoft's Postman collection
 * sends `emails[type eq "work"]`: the filter is checked for syntax, then ignored (the path is `emails`).
 */
export function parseAttributeList(text: string, label = 'attributes'): ParseResult<AttributePath[]> {
  return runSyntax(text, { label, scimType: 'invalidPath', commas: true }, (cursor) => {
    const paths: AttributePath[] = []
    if (cursor.peek().kind === 'eof') return paths
    for (;;) {
      paths.push(listEntry(cursor))
      if (cursor.peek().kind !== ',') break
      cursor.next()
    }
    cursor.end('"," or end of list')
    return paths
  })
}

function listEntry(cursor: TokenCursor): AttributePath {
  const { path, token } = cursor.attributePath()
  if (cursor.peek().kind !== '[') return path
  new FilterParser(cursor).valueFilter(path, token)
  const sub = cursor.subAttribute()
  return sub === undefined ? path : { ...path, sub }
}
