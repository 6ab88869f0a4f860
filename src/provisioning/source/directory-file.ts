import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { z } from 'zod'
import type {
  SourceAttributes,
  SourceConnector,
  SourceGroup,
  SourceIssue,
  SourceSnapshot,
  SourceUser,
} from './connector.js'
import { parseCsv } from './csv.js'
import { jsonElementLines } from './json-element-lines.js'
import { findJsonSyntaxError } from './json-syntax-error.js'
import { SourceError } from './source-error.js'
import { type ObjectLocation, type ValidatedSnapshot, validateSnapshot } from './validate-snapshot.js'

/**
 * The embedded default source: a directory kept in one file, re-read on every cycle (it has no change
 * feed, so the service diffs snapshots). The format follows the extension:
 *
 * - `.json`: a serialised `SourceSnapshot`, `{ "users": [{ "id", "attributes": {…}, "softDeleted"? }],
 *   "groups": [{ "id", "displayName", "attributes"?, "members": [ids] }] }`.
 * - `.csv` (RFC 4180): users only. The header row names the attributes; `id` is required. Special
 *   columns: `groups` (`;`-separated group names; each name becomes a group whose id is `group:<name>`),
 *   `manager` (the manager's id or userPrincipalName), `accountEnabled` and `softDeleted` (true/false,
 *   yes/no, 1/0). An empty cell is no value; every other cell is a string, kept exactly (employeeId
 *   "00123" stays a string).
 *
 * Every problem is reported at once, located by file, line, object and field.
 */

export type DirectoryFileFormat = 'json' | 'csv'

/** The format for a path, by extension; anything else is a configuration mistake. */
export function directoryFileFormat(path: string): DirectoryFileFormat {
  const extension = extname(path).toLowerCase()
  if (extension === '.json') return 'json'
  if (extension === '.csv') return 'csv'
  throw new TypeError(`a directory file must end in .json or .csv; got "${path}"`)
}

export class DirectoryFileConnector implements SourceConnector {
  readonly description: string
  readonly #path: string
  readonly #format: DirectoryFileFormat

  constructor(path: string) {
    this.#format = directoryFileFormat(path)
    this.#path = path
    this.description = `directory file ${path}`
  }

  async readSnapshot(): Promise<SourceSnapshot> {
    let text: string
    try {
      text = await readFile(this.#path, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
      throw new SourceError('ERR_SOURCE_UNREADABLE', `cannot read ${this.description}: ${reason}`, [], error)
    }
    const { snapshot, issues } = parseDirectoryFile(text, this.#path, this.#format)
    if (issues.some((issue) => issue.severity === 'error'))
      throw SourceError.invalid(this.description, issues)
    return snapshot
  }
}

/** Parses and validates a directory file's text; `file` is only used in messages. */
export function parseDirectoryFile(
  text: string,
  file: string,
  format: DirectoryFileFormat,
): ValidatedSnapshot {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return format === 'json' ? parseJsonDirectory(body, file) : parseCsvDirectory(body, file)
}

const attributeValue = z.union([z.string(), z.boolean(), z.number(), z.array(z.string()), z.null()])
const attributes = z.record(z.string(), attributeValue)
const userSchema = z.strictObject({
  id: z.string().min(1),
  attributes: attributes.default({}),
  softDeleted: z.boolean().optional(),
})
const groupSchema = z.strictObject({
  id: z.string().min(1),
  displayName: z.string().min(1),
  attributes: attributes.default({}),
  members: z.array(z.string()).default([]),
})
const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
})

const failed = (issues: SourceIssue[]): ValidatedSnapshot => ({ snapshot: { users: [], groups: [] }, issues })

function parseJsonDirectory(text: string, file: string): ValidatedSnapshot {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const found = findJsonSyntaxError(text)
    const message = found?.message ?? (error as Error).message
    return failed([
      {
        severity: 'error',
        code: 'invalid-syntax',
        message: `not valid JSON: ${message}`,
        file,
        ...(found === undefined ? {} : { line: found.line, column: found.column }),
      },
    ])
  }
  // Line numbers only matter for messages: scan for them on the first one.
  let lines: Map<string, number[]> | undefined
  const locate = (objectType: 'user' | 'group', index: number): ObjectLocation => {
    const key = objectType === 'user' ? 'users' : 'groups'
    lines ??= jsonElementLines(text)
    const line = lines.get(key)?.[index]
    return { object: `${key}[${index}]`, ...(line === undefined ? {} : { line }) }
  }
  const parsed = fileSchema.safeParse(data)
  if (!parsed.success) {
    return failed(parsed.error.issues.map((issue) => shapeIssue(issue, data, file, locate)))
  }
  const snapshot: SourceSnapshot = { users: parsed.data.users, groups: parsed.data.groups }
  return validateSnapshot(snapshot, { file, locate })
}

/** A zod issue, located: `users[3] (id "u-7")`, its line, and the field path inside the object. */
function shapeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
  file: string,
  locate: (objectType: 'user' | 'group', index: number) => ObjectLocation,
): SourceIssue {
  const [key, index, ...rest] = issue.path
  let message = issue.message
  if (issue.code === 'unrecognized_keys' && key === 'users' && rest.length === 0) {
    message += '; a user\'s attributes go inside its "attributes" object'
  }
  if ((key === 'users' || key === 'groups') && typeof index === 'number') {
    const where = locate(key === 'users' ? 'user' : 'group', index)
    const id = (data as Record<string, { id?: unknown }[]>)[key]?.[index]?.id
    const field = rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')
    return {
      severity: 'error',
      code: 'invalid-shape',
      message,
      file,
      ...(where.line === undefined ? {} : { line: where.line }),
      object: typeof id === 'string' ? `${where.object} (id "${id}")` : where.object,
      ...(field === '' ? {} : { field: field.replace(/^\./, '') }),
    }
  }
  const field = issue.path.map(String).join('.')
  return {
    severity: 'error',
    code: 'invalid-shape',
    message,
    file,
    ...(field === '' ? {} : { field }),
  }
}

const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
}

function parseCsvDirectory(text: string, file: string): ValidatedSnapshot {
  const parsed = parseCsv(text)
  if (!parsed.ok) {
    return failed([
      {
        severity: 'error',
        code: 'invalid-syntax',
        message: `not valid CSV: ${parsed.message}`,
        file,
        line: parsed.line,
        column: parsed.column,
      },
    ])
  }
  const [header, ...rows] = parsed.records
  const issues: SourceIssue[] = []
  const error = (
    code: SourceIssue['code'],
    message: string,
    line?: number,
    field?: string,
    object?: string,
  ): void => {
    issues.push({
      severity: 'error',
      code,
      message,
      file,
      ...(line === undefined ? {} : { line }),
      ...(object === undefined ? {} : { object }),
      ...(field === undefined ? {} : { field }),
    })
  }
  if (header === undefined) {
    error('missing-column', 'the file is empty; its first line must name the columns, including "id"')
    return failed(issues)
  }
  const columns = header.fields.map((name) => name.trim())
  columns.forEach((name, index) => {
    if (name === '') error('invalid-value', 'a column has no name', header.line, `column ${index + 1}`)
    else if (columns.indexOf(name) !== index)
      error('duplicate-column', 'the column appears twice', header.line, name)
  })
  if (!columns.includes('id')) error('missing-column', 'the header has no "id" column', header.line)
  if (issues.length > 0) return failed(issues)

  const users: SourceUser[] = []
  const rowOf: { line: number; row: number }[] = []
  const groupMembers = new Map<string, string[]>()
  rows.forEach((record, rowIndex) => {
    const row = `row ${rowIndex + 1}`
    if (record.fields.length !== columns.length) {
      error(
        'field-count',
        `has ${record.fields.length} fields; the header has ${columns.length} (quote values that contain commas)`,
        record.line,
        undefined,
        row,
      )
      return
    }
    const id = record.fields[columns.indexOf('id')]!.trim()
    const attributes: SourceAttributes = {}
    let softDeleted = false
    columns.forEach((column, index) => {
      const cell = record.fields[index]!
      if (cell === '' || column === 'id') return
      if (column === 'groups') {
        for (const name of cell.split(';').map((part) => part.trim())) {
          if (name === '') continue
          const members = groupMembers.get(name) ?? []
          members.push(id)
          groupMembers.set(name, members)
        }
        return
      }
      if (column === 'accountEnabled' || column === 'softDeleted') {
        const value = BOOLEANS[cell.trim().toLowerCase()]
        if (value === undefined) {
          const object = id === '' ? row : `${row} (id "${id}")`
          error('invalid-value', `"${cell}" is not true or false`, record.line, column, object)
          return
        }
        if (column === 'softDeleted') softDeleted = value
        else attributes[column] = value
        return
      }
      attributes[column] = column === 'manager' ? cell.trim() : cell
    })
    users.push(softDeleted ? { id, attributes, softDeleted } : { id, attributes })
    rowOf.push({ line: record.line, row: rowIndex + 1 })
  })
  const groups: SourceGroup[] = [...groupMembers].map(([name, members]) => ({
    id: `group:${name}`,
    displayName: name,
    attributes: {},
    members,
  }))
  const names = [...groupMembers.keys()]
  const locate = (objectType: 'user' | 'group', index: number): ObjectLocation =>
    objectType === 'user'
      ? { object: `row ${rowOf[index]!.row}`, line: rowOf[index]!.line }
      : { object: `group "${names[index]}"` }
  const validated = validateSnapshot({ users, groups }, { file, locate })
  return { snapshot: validated.snapshot, issues: [...issues, ...validated.issues] }
}
