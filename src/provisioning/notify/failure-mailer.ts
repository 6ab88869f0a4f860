import nodemailer from 'nodemailer'
import type { ProvisioningJob } from '../jobs/job-config.js'

/** What the engine reports when a cycle ends quarantined or failed. */
export interface JobAlert {
  job: Pick<ProvisioningJob, 'id' | 'name' | 'targetUrl' | 'targetToken' | 'settings'>
  status: 'quarantined' | 'failed'
  reason: string
  cycleId?: string
}

export interface MailMessage {
  from: string
  to: string
  subject: string
  text: string
}

export type SendMail = (message: MailMessage) => Promise<void>

export interface FailureMailerOptions {
  /** `smtp://host:port` (or smtps://, with user:password@ when the relay needs it). Default env SMTP_URL. */
  smtpUrl?: string | undefined
  /** Default env MAIL_FROM, else `roster@localhost`. */
  from?: string | undefined
  warn?: (message: string) => void
  /** Overrides the SMTP transport (tests). */
  send?: SendMail
}

/**
 * Tells a job's notification address when the job enters quarantine or a cycle fails: one e-mail per
 * episode, another only when the reason changes, none again until the job has had a good cycle.
 * Never throws: a missing SMTP configuration is warned about once, a failed send is warned about.
 */
export class FailureMailer {
  private readonly send: SendMail | undefined
  private readonly from: string
  private readonly warn: (message: string) => void
  private readonly lastReason = new Map<string, string>()
  private warnedUnconfigured = false

  constructor(options: FailureMailerOptions = {}) {
    const smtpUrl = options.smtpUrl ?? process.env.SMTP_URL
    this.from = options.from ?? process.env.MAIL_FROM ?? 'roster@localhost'
    this.warn = options.warn ?? ((message) => process.stderr.write(`warning: ${message}\n`))
    if (options.send) this.send = options.send
    else if (smtpUrl) {
      const transport = nodemailer.createTransport(smtpUrl)
      this.send = async (message) => {
        await transport.sendMail(message)
      }
    }
  }

  /** A cycle ended well: the next failure of this job is news again. */
  cleared(jobId: string): void {
    this.lastReason.delete(jobId)
  }

  /** Sends the alert unless this job's last alert gave the same reason. Resolves whether or not a mail left. */
  async alert(alert: JobAlert): Promise<boolean> {
    const to = alert.job.settings.notificationEmail
    if (!to) return false
    const key = `${alert.status}: ${alert.reason}`
    if (this.lastReason.get(alert.job.id) === key) return false
    if (!this.send) {
      if (!this.warnedUnconfigured) {
        this.warnedUnconfigured = true
        this.warn('SMTP_URL is not set: provisioning failure e-mails are not sent')
      }
      return false
    }
    this.lastReason.set(alert.job.id, key)
    try {
      await this.send({ from: this.from, to, ...composeAlert(alert) })
      return true
    } catch (error) {
      this.lastReason.delete(alert.job.id)
      this.warn(
        `could not send the failure e-mail of job ${alert.job.id}: ${redact(String(error instanceof Error ? error.message : error), alert.job.targetToken)}`,
      )
      return false
    }
  }
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join('[token]') : text
}

/** Subject and body: which job, what happened, what to do. The target's secret token never appears. */
export function composeAlert(alert: JobAlert): { subject: string; text: string } {
  const { job } = alert
  const reason = redact(alert.reason, job.targetToken)
  const quarantined = alert.status === 'quarantined'
  const subject = quarantined
    ? `Roster provisioning job "${job.name}" is quarantined`
    : `Roster provisioning job "${job.name}": a cycle failed`
  const todo = quarantined
    ? [
        'What to do: check the reason above. If the source is right (for example a planned clean-up),',
        'raise the job’s deletion threshold or run the cycle again allowing deletes',
        `(roster provision job sync-now ${job.id} --allow-deletes); otherwise fix the source or the scope.`,
        'Until then the staged disables and deletes are not carried out.',
      ]
    : [
        'What to do: fix the cause named above (the source file, the job’s mappings or scoping filters,',
        `or the target), then run "roster provision job sync-now ${job.id}" or wait for the next cycle.`,
        `The cycle's log: roster provision job logs ${job.id}`,
      ]
  const text = [
    `The provisioning job "${job.name}" (${job.id}) ${quarantined ? 'is quarantined' : 'had a cycle fail'}.`,
    '',
    `Reason: ${reason}`,
    `Target: ${redact(job.targetUrl, job.targetToken)}`,
    ...(alert.cycleId ? [`Cycle: ${alert.cycleId}`] : []),
    '',
    ...todo,
    '',
    'You receive this e-mail once per problem; another follows only if the reason changes.',
  ].join('\n')
  return { subject: redact(subject, job.targetToken), text }
}

let shared: FailureMailer | undefined
/** The process's mailer, configured from SMTP_URL and MAIL_FROM on first use. */
export function failureMailer(): FailureMailer {
  shared ??= new FailureMailer()
  return shared
}
