import { invalidValue } from './console-error.js'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js'

/** Checks of the console's own inputs, shared by setup, invitations and login. */
const EMAIL = /^[^\s@]+@[^\s@]+$/

export function checkEmail(value: unknown, field = 'email'): string {
  if (typeof value !== 'string') throw invalidValue(field, 'must be a string')
  const email = value.trim()
  if (email.length === 0) throw invalidValue(field, 'must not be empty')
  if (email.length > 254 || !EMAIL.test(email)) throw invalidValue(field, 'must be an email address')
  return email
}

export function checkDisplayName(value: unknown, field = 'displayName'): string {
  if (typeof value !== 'string') throw invalidValue(field, 'must be a string')
  const name = value.trim()
  if (name.length === 0) throw invalidValue(field, 'must not be empty')
  if (name.length > 100) throw invalidValue(field, 'must be at most 100 characters')
  return name
}

export function checkNewPassword(value: unknown, field = 'password'): string {
  if (typeof value !== 'string') throw invalidValue(field, 'must be a string')
  if ([...value].length < MIN_PASSWORD_LENGTH) {
    throw invalidValue(field, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  if (value.length > MAX_PASSWORD_LENGTH) {
    throw invalidValue(field, `must be at most ${MAX_PASSWORD_LENGTH} characters`)
  }
  return value
}
