import type { FunctionSpec } from '../function-spec.js'
import { toText, ValueError } from '../values.js'
import { formatWithFormat, parseWithFormat } from './dotnet-date-format.js'

/**
 * FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat). `dateTimeStyles` is accepted
 * and ignored: we always allow surrounding white space and keep the date's own kind (Entra's
 * default of RoundtripKind + AllowLeadingWhite + AllowTrailingWhite).
 */
export const formatDateTimeFunction: FunctionSpec = {
  name: 'FormatDateTime',
  params: [
    { name: 'source' },
    { name: 'dateTimeStyles', optional: true },
    { name: 'inputFormat' },
    { name: 'outputFormat' },
  ],
  evaluate(args) {
    const source = toText(args.value(0), 'FormatDateTime source')
    if (source === null) return null
    const inputFormat = toText(args.value(2), 'FormatDateTime inputFormat') ?? ''
    const outputFormat = toText(args.value(3), 'FormatDateTime outputFormat') ?? ''
    try {
      return formatWithFormat(parseWithFormat(source.trim(), inputFormat), outputFormat)
    } catch (error) {
      throw new ValueError(`FormatDateTime: ${(error as Error).message}`)
    }
  },
}
