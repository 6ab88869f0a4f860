import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { badRequest } from '../scim/errors.js'
import { isType } from './user-attributes.js'

/**
 * Per-tenant data rules on top of RFC 7643. `alexis` is what the AlexisHR tutorial demands of
 * provisioned employees; `rfc` is plain RFC 7643 for identity providers and test suites that send
 * other formats (the Microsoft SCIM Validator sends phone numbers like "10-040-1308").
 */
export const HR_RULES = ['alexis', 'rfc'] as const
export type HrRules = (typeof HR_RULES)[number]

export function parseHrRules(value: string): HrRules {
  if ((HR_RULES as readonly string[]).includes(value)) return value as HrRules
  throw new TypeError(`rules must be one of ${HR_RULES.join(', ')}; got "${value}"`)
}

const E164 = /^\+[1-9]\d{1,14}$/

/**
 * libphonenumber's numbering-plan check costs more than the rest of a PATCH's validation, and every
 * PATCH re-validates the stored numbers, which rarely change: remember recent answers. Bounded,
 * and simply emptied when full (a re-check is only a few microseconds).
 */
const phoneVerdicts = new Map<string, boolean>()
const MAX_PHONE_VERDICTS = 10_000

function isE164PhoneNumber(value: string): boolean {
  // The shape check first: it also bounds the cache's keys to 16 characters.
  if (!E164.test(value)) return false
  let valid = phoneVerdicts.get(value)
  if (valid === undefined) {
    valid = parsePhoneNumberFromString(value)?.isValid() === true
    if (phoneVerdicts.size >= MAX_PHONE_VERDICTS) phoneVerdicts.clear()
    phoneVerdicts.set(value, valid)
  }
  return valid
}

type Element = Record<string, unknown>

function elements(resource: Record<string, unknown>, key: string): Element[] {
  const value = resource[key]
  return Array.isArray(value) ? (value as Element[]) : []
}

/** Throws a 400 invalidValue naming the attribute and the rule when a user breaks the tenant's rules. */
export function checkHrRules(rules: HrRules, user: Record<string, unknown>): void {
  if (rules === 'rfc') return
  const name = (user.name ?? {}) as Element
  for (const part of ['givenName', 'familyName'] as const) {
    if (typeof name[part] !== 'string' || (name[part] as string).trim() === '') {
      throw badRequest('invalidValue', `name.${part} is required by this tenant's HR rules`)
    }
  }
  const emails = elements(user, 'emails')
  if (
    !emails.some((email) => isType(email, 'work') && typeof email.value === 'string' && email.value !== '')
  ) {
    throw badRequest('invalidValue', `emails[type eq "work"].value is required by this tenant's HR rules`)
  }
  for (const key of ['emails', 'phoneNumbers', 'addresses']) {
    const seen = new Set<string>()
    for (const element of elements(user, key)) {
      if (typeof element.type !== 'string') continue
      const type = element.type.toLowerCase()
      if (seen.has(type)) {
        throw badRequest('invalidValue', `${key}: more than one element has type "${element.type}"`)
      }
      seen.add(type)
    }
  }
  for (const phone of elements(user, 'phoneNumbers')) {
    const value = phone.value
    // Stored exactly as sent; only validated. E.164 shape first, then a real numbering-plan check.
    if (typeof value !== 'string' || !isE164PhoneNumber(value)) {
      const type = typeof phone.type === 'string' ? phone.type : 'work'
      throw badRequest(
        'invalidValue',
        `phoneNumbers[type eq "${type}"].value: "${String(value)}" is not an E.164 phone number (e.g. +16175551212)`,
      )
    }
  }
}
