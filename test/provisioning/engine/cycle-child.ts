/** A provisioning service process for the crash test: runs one cycle of a job, until it is killed. */
import { runCycle } from '../../../src/provisioning/engine/run-cycle.js'
import { openStore } from '../../../src/store/open.js'

const [databaseUrl, jobId] = process.argv.slice(2)
if (!databaseUrl || !jobId) throw new TypeError('usage: cycle-child.ts <database-url> <job-id>')
const db = await openStore({ databaseUrl })
await runCycle(db, jobId, { timeoutMs: 120_000 })
await db.destroy()
