import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { issueAccessToken } from '../../access/access-tokens.js'
import type { Db } from '../../store/database.js'
import { createJob } from '../jobs/jobs-repository.js'

export const DEMO_JOB_NAME = 'Demo: sample directory → demo tenant'

/** The repository's root (where package.json is), from src/ under tsx and from dist/src/ when built. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above the provisioning module')
    dir = parent
  }
  return dir
}

/** The sample directory that ships with Roster (samples/directory.json, 300 people). */
export function sampleDirectoryPath(): string {
  return join(packageRoot(), 'samples', 'directory.json')
}

/**
 * The job `npm start` creates on a fresh database: the sample directory provisioned into this
 * server's own demo tenant, over SCIM like any other target, with a token of its own. It is created
 * Off, so nothing happens until a person switches it on and watches the employees arrive.
 */
export async function createDemoJob(db: Db, tenantId: string, scimUrl: string): Promise<{ id: string }> {
  const { token } = await issueAccessToken(db, tenantId, {
    name: 'Demo provisioning job',
    description: 'used by the demo provisioning job (sample directory → this tenant)',
    scopes: ['scim'],
  })
  const job = await createJob(db, {
    name: DEMO_JOB_NAME,
    source: { kind: 'file', path: sampleDirectoryPath() },
    targetUrl: scimUrl,
    targetToken: token,
    tenantId,
  })
  return { id: job.id }
}
