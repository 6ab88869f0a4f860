import { isScimError, ScimError } from '../errors.js'

/**
 * The error of operation `index` of a PatchOp, its detail prefixed with `Operations[i]: ` so the
 * client learns which operation failed. Other errors, and ones already prefixed, pass unchanged.
 */
export function atOperation(index: number, error: unknown): unknown {
  if (!isScimError(error) || error.detail.startsWith('Operations[')) return error
  return new ScimError(error.status, error.scimType, `Operations[${index}]: ${error.detail}`, {
    cause: error,
  })
}
