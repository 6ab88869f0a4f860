import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { DEFAULT_SETTINGS } from '../../../src/provisioning/jobs/job-config.js'
import { FailureMailer } from '../../../src/provisioning/notify/failure-mailer.js'

const TOKEN = 'secret-target-token-4711'
const received: { to: string[]; raw: string }[] = []
let server: SMTPServer
let url = ''

before(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        raw += chunk
      })
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

const job = {
  id: 'job-42',
  name: 'HR to Roster',
  targetUrl: 'http://127.0.0.1:9/scim/v2',
  targetToken: TOKEN,
  settings: { ...DEFAULT_SETTINGS, notificationEmail: 'ops@example.test' },
}

/** The subject (RFC 2047 words decoded) and the body (quoted-printable undone), enough to search. */
function plain(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const subject = (/^Subject: (.*)$/m.exec(headers)?.[1] ?? '')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, word: string) => qp(word.replace(/_/g, ' ')))
  return `Subject: ${subject}\n${headers}\n${qp(raw.slice(split).replace(/=\r?\n/g, ''))}`
}
const qp = (text: string) =>
  Buffer.from(
    text.replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`).replace(/%(?![0-9A-F]{2})/g, '%25'),
    'utf8',
  )
    .toString()
    .replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))

test('a quarantine sends one e-mail through a real SMTP listener, another only when the reason changes', async () => {
  const warnings: string[] = []
  const mailer = new FailureMailer({
    smtpUrl: url,
    from: 'roster@example.test',
    warn: (w) => warnings.push(w),
  })
  const reason = `Too many deletes (900 > 500); the job is quarantined (token ${TOKEN} must not leak)`
  assert.equal(await mailer.alert({ job, status: 'quarantined', reason, cycleId: 'c1' }), true)
  assert.equal(await mailer.alert({ job, status: 'quarantined', reason, cycleId: 'c2' }), false)
  assert.equal(received.length, 1)
  const mail = plain(received[0]?.raw ?? '')
  assert.deepEqual(received[0]?.to, ['ops@example.test'])
  assert.match(mail, /Subject: Roster provisioning job "HR to Roster" is quarantined/)
  assert.match(mail, /job-42/)
  assert.match(mail, /Too many deletes/)
  assert.match(mail, /What to do/)
  assert.doesNotMatch(mail, new RegExp(TOKEN))

  assert.equal(await mailer.alert({ job, status: 'failed', reason: 'The source file cannot be read' }), true)
  assert.equal(received.length, 2)
  assert.match(plain(received[1]?.raw ?? ''), /a cycle failed/)
  assert.doesNotMatch(plain(received[1]?.raw ?? ''), new RegExp(TOKEN))

  mailer.cleared(job.id)
  assert.equal(await mailer.alert({ job, status: 'failed', reason: 'The source file cannot be read' }), true)
  assert.equal(received.length, 3)
  assert.deepEqual(warnings, [])
})

test('without SMTP_URL: one warning, no crash', async () => {
  const warnings: string[] = []
  const mailer = new FailureMailer({ smtpUrl: '', warn: (w) => warnings.push(w) })
  assert.equal(await mailer.alert({ job, status: 'failed', reason: 'a' }), false)
  assert.equal(await mailer.alert({ job, status: 'failed', reason: 'b' }), false)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0] ?? '', /SMTP_URL/)
})

test('an unreachable SMTP server is a warning without the token, never a throw', async () => {
  const warnings: string[] = []
  const mailer = new FailureMailer({ smtpUrl: 'smtp://127.0.0.1:9', warn: (w) => warnings.push(w) })
  assert.equal(await mailer.alert({ job, status: 'failed', reason: 'x' }), false)
  assert.equal(warnings.length, 1)
  assert.doesNotMatch(warnings[0] ?? '', new RegExp(TOKEN))
})
