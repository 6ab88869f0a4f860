import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { logEntriesToCsv } from '../../../src/provisioning/state/log-csv.js'
import type { LogEntry } from '../../../src/provisioning/state/log-repository.js'

const entry: LogEntry = {
  id: 7,
  jobId: 'job',
  cycleId: 'cycle',
  at: '2026-11-27T00:00:00.000Z',
  objectType: 'user',
  sourceId: 'src-1',
  displayName: '=HYPERLINK("http://evil")',
  targetId: null,
  action: 'update',
  status: 'success',
  steps: [{ name: 'action', status: 'success', description: 'PATCH replace title' }],
  modified: [{ name: 'title', old: 'A, "B"', new: 'C' }],
  errorCode: null,
  message: 'Updated 1 attribute(s)\nsecond line',
  durationMs: 12,
}

describe('provisioning log CSV export', () => {
  it('quotes commas, quotes and newlines, keeps steps and modified properties as JSON, and defuses formulas', () => {
    const csv = logEntriesToCsv([entry])
    const [header, row] = csv.split('\r\n')
    assert.equal(
      header,
      'id,at,cycleId,objectType,sourceId,displayName,targetId,action,status,errorCode,message,modified,steps,durationMs',
    )
    assert.ok(
      row?.startsWith(
        '7,2026-11-27T00:00:00.000Z,cycle,user,src-1,"\'=HYPERLINK(""http://evil"")",,update,success,,"Updated 1 attribute(s)\nsecond line",',
      ),
    )
    assert.ok(csv.includes('"[{""name"":""title"",""old"":""A, \\""B\\"""",""new"":""C""}]"'))
    assert.ok(csv.endsWith('\r\n'))
  })
})
