import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { SourceConnector } from '../../../src/provisioning/source/connector.js'
import {
  DirectoryFileConnector,
  directoryFileFormat,
  parseDirectoryFile,
} from '../../../src/provisioning/source/directory-file.js'
import { formatSourceIssue, SourceError } from '../../../src/provisioning/source/source-error.js'

const json = (value: unknown): string => JSON.stringify(value, null, 2)

describe('parseDirectoryFile (JSON)', () => {
  it('reads users and groups, defaulting absent attributes and members', () => {
    const text = json({
      users: [
        { id: 'u1', attributes: { userPrincipalName: 'ann@x.example', accountEnabled: true } },
        { id: 'u2', attributes: { userPrincipalName: 'bo@x.example', manager: 'u1' }, softDeleted: true },
        { id: 'u3' },
      ],
      groups: [
        { id: 'g1', displayName: 'Staff', members: ['u1', 'u2', 'g2'] },
        { id: 'g2', displayName: 'Empty' },
      ],
    })
    const { snapshot, issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.deepEqual(issues, [])
    assert.deepEqual(snapshot.users, [
      { id: 'u1', attributes: { userPrincipalName: 'ann@x.example', accountEnabled: true } },
      { id: 'u2', attributes: { userPrincipalName: 'bo@x.example', manager: 'u1' }, softDeleted: true },
      { id: 'u3', attributes: {} },
    ])
    assert.deepEqual(snapshot.groups, [
      { id: 'g1', displayName: 'Staff', attributes: {}, members: ['u1', 'u2', 'g2'] },
      { id: 'g2', displayName: 'Empty', attributes: {}, members: [] },
    ])
  })

  it('accepts a byte-order mark and CRLF line breaks', () => {
    const text = `\uFEFF${json({ users: [{ id: 'u1', attributes: {} }] }).replaceAll('\n', '\r\n')}`
    const { snapshot, issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.deepEqual(issues, [])
    assert.equal(snapshot.users.length, 1)
  })

  it('reports a syntax error with its line and column', () => {
    const text = '{\n  "users": [\n    { "id": "u1", "attributes": {} },\n  ]\n}\n'
    const { issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.deepEqual(issues, [
      {
        severity: 'error',
        code: 'invalid-syntax',
        message: 'not valid JSON: a trailing comma before "]"',
        file: 'dir.json',
        line: 4,
        column: 3,
      },
    ])
    assert.equal(formatSourceIssue(issues[0]!), 'dir.json:4:3: not valid JSON: a trailing comma before "]"')
  })

  it('names the line, object, id and field of a value of the wrong type', () => {
    const text = json({
      users: [
        { id: 'u1', attributes: {} },
        { id: 'u2', attributes: { givenName: 'Bo', mail: { work: 'bo@x.example' } } },
      ],
    })
    const { issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.equal(issues.length, 1)
    assert.deepEqual(
      { ...issues[0]!, message: undefined },
      {
        severity: 'error',
        code: 'invalid-shape',
        message: undefined,
        file: 'dir.json',
        line: 7,
        object: 'users[1] (id "u2")',
        field: 'attributes.mail',
      },
    )
  })

  it('reports every shape problem at once, and hints where attributes belong', () => {
    const text = json({
      users: [{ id: 'u1', mail: 'a@x.example' }],
      groups: [{ id: 'g1', members: ['u1'] }],
    })
    const { issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.object, issue.field]),
      [
        [3, 'users[0] (id "u1")', undefined],
        [9, 'groups[0] (id "g1")', 'displayName'],
      ],
    )
    assert.match(issues[0]!.message, /"mail".*; a user's attributes go inside its "attributes" object$/)
  })

  it('runs the snapshot validation, locating issues by line', () => {
    const text = json({
      users: [
        { id: 'u1', attributes: {} },
        { id: 'u1', attributes: {} },
      ],
    })
    const { issues } = parseDirectoryFile(text, 'dir.json', 'json')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.json:7: users[1] (id "u1"), field id: id "u1" is already used by users[0] (line 3)',
    ])
  })
})

describe('parseDirectoryFile (CSV)', () => {
  const csv = [
    'id,userPrincipalName,displayName,accountEnabled,manager,groups,employeeId',
    'u1,ann@x.example,"Lindqvist, Ann",true,,Staff;Leads,00017',
    'u2,bo@x.example,"Bo ""Bosse"" Ek",no,ann@x.example,Staff,',
    'u3,cy@x.example,Cy,1,u2, Staff ; ,00019',
  ].join('\r\n')

  it('reads users, quoted values, booleans, groups and managers by id or userPrincipalName', () => {
    const { snapshot, issues } = parseDirectoryFile(`\uFEFF${csv}\r\n`, 'dir.csv', 'csv')
    assert.deepEqual(issues, [])
    assert.deepEqual(snapshot.users, [
      {
        id: 'u1',
        attributes: {
          userPrincipalName: 'ann@x.example',
          displayName: 'Lindqvist, Ann',
          accountEnabled: true,
          employeeId: '00017',
        },
      },
      {
        id: 'u2',
        attributes: {
          userPrincipalName: 'bo@x.example',
          displayName: 'Bo "Bosse" Ek',
          accountEnabled: false,
          manager: 'u1',
        },
      },
      {
        id: 'u3',
        attributes: {
          userPrincipalName: 'cy@x.example',
          displayName: 'Cy',
          accountEnabled: true,
          manager: 'u2',
          employeeId: '00019',
        },
      },
    ])
    assert.deepEqual(snapshot.groups, [
      { id: 'group:Staff', displayName: 'Staff', attributes: {}, members: ['u1', 'u2', 'u3'] },
      { id: 'group:Leads', displayName: 'Leads', attributes: {}, members: ['u1'] },
    ])
  })

  it('reads a softDeleted column into the soft-delete flag', () => {
    const { snapshot } = parseDirectoryFile('id,softDeleted\nu1,true\nu2,false\n', 'dir.csv', 'csv')
    assert.deepEqual(snapshot.users, [
      { id: 'u1', attributes: {}, softDeleted: true },
      { id: 'u2', attributes: {} },
    ])
  })

  it('names the line of a row with the wrong number of fields', () => {
    const { issues } = parseDirectoryFile('id,mail\nu1,a@x.example\nu2,b@x.example,extra\n', 'dir.csv', 'csv')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.csv:3: row 2: has 3 fields; the header has 2 (quote values that contain commas)',
    ])
  })

  it('counts lines inside quoted values', () => {
    const text = 'id,notes,accountEnabled\nu1,"two\nlines",true\nu2,x,maybe\n'
    const { issues } = parseDirectoryFile(text, 'dir.csv', 'csv')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.csv:4: row 2 (id "u2"), field accountEnabled: "maybe" is not true or false',
    ])
  })

  it('reports CSV syntax errors with line and column', () => {
    const { issues } = parseDirectoryFile('id,mail\nu1,"a@x.example\n', 'dir.csv', 'csv')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.csv:2:4: not valid CSV: a quoted field is never closed',
    ])
  })

  it('requires an id column and distinct column names', () => {
    assert.deepEqual(parseDirectoryFile('mail,mail\nx,y\n', 'dir.csv', 'csv').issues.map(formatSourceIssue), [
      'dir.csv:1: field mail: the column appears twice',
      'dir.csv:1: the header has no "id" column',
    ])
    assert.deepEqual(parseDirectoryFile('', 'dir.csv', 'csv').issues.map(formatSourceIssue), [
      'dir.csv: the file is empty; its first line must name the columns, including "id"',
    ])
  })

  it('warns about a manager that does not exist and provisions the user without one', () => {
    const { snapshot, issues } = parseDirectoryFile('id,manager\nu1,nobody@x.example\n', 'dir.csv', 'csv')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.csv:2: row 1 (id "u1"), field manager: no user has id or userPrincipalName "nobody@x.example"; provisioned without a manager',
    ])
    assert.equal(issues[0]!.severity, 'warning')
    assert.deepEqual(snapshot.users[0]!.attributes, { manager: null })
    assert.deepEqual(snapshot.warnings, issues)
  })

  it('reports a cycle in the manager chain on the line of the row that starts it', () => {
    const { issues } = parseDirectoryFile('id,manager\nu1,u3\nu2,u1\nu3,u2\nu4,u1\n', 'dir.csv', 'csv')
    assert.deepEqual(issues.map(formatSourceIssue), [
      'dir.csv:2: row 1 (id "u1"), field manager: the manager chain is a cycle (u1 → u3 → u2 → u1); someone in it must report to a manager outside it',
    ])
  })
})

describe('directoryFileFormat', () => {
  it('follows the extension, case-insensitively', () => {
    assert.equal(directoryFileFormat('a/b.JSON'), 'json')
    assert.equal(directoryFileFormat('people.csv'), 'csv')
    assert.throws(() => directoryFileFormat('people.xlsx'), {
      name: 'TypeError',
      message: 'a directory file must end in .json or .csv; got "people.xlsx"',
    })
  })
})

describe('DirectoryFileConnector', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-source-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the file on every snapshot, and has no change feed', async () => {
    const path = join(dir, 'people.csv')
    const connector = new DirectoryFileConnector(path)
    assert.equal(connector.description, `directory file ${path}`)
    const asSource: SourceConnector = connector
    assert.equal(asSource.readChanges, undefined)
    await writeFile(path, 'id,mail\nu1,a@x.example\n')
    assert.deepEqual((await connector.readSnapshot()).users, [
      { id: 'u1', attributes: { mail: 'a@x.example' } },
    ])
    await writeFile(path, 'id,mail\nu1,a@x.example\nu2,b@x.example\n')
    assert.equal((await connector.readSnapshot()).users.length, 2)
  })

  it('throws ERR_SOURCE_INVALID listing every error in the file', async () => {
    const path = join(dir, 'bad.json')
    await writeFile(
      path,
      json({
        users: [
          { id: 'u1', attributes: { manager: 'u2' } },
          { id: 'u2', attributes: { manager: 'u1' } },
        ],
        groups: [{ id: 'g1', displayName: 'G', members: ['u1', 'ghost'] }],
      }),
    )
    await assert.rejects(new DirectoryFileConnector(path).readSnapshot(), (error: unknown) => {
      assert.ok(error instanceof SourceError)
      assert.equal(error.code, 'ERR_SOURCE_INVALID')
      assert.equal(
        error.message,
        [
          `directory file ${path} has 2 errors:`,
          `  ${path}:3: users[0] (id "u1"), field manager: the manager chain is a cycle (u1 → u2 → u1); someone in it must report to a manager outside it`,
          `  ${path}:17: groups[0] (id "g1"), field members: no user or group has id "ghost"`,
        ].join('\n'),
      )
      return true
    })
  })

  it('throws ERR_SOURCE_UNREADABLE for a missing file', async () => {
    const path = join(dir, 'missing.json')
    await assert.rejects(new DirectoryFileConnector(path).readSnapshot(), {
      name: 'SourceError',
      code: 'ERR_SOURCE_UNREADABLE',
      message: `cannot read directory file ${path}: no such file`,
    })
  })
})
