/**
 * A subset of .NET custom date and time format strings, enough for FormatDateTime: y, M, d, H, h,
 * m, s, f/F, t, z, K, quoted literals and `\` escapes. Dates keep their wall-clock time; a parsed
 * offset is only carried to z/K in the output (Microsoft's `"yyyy-MM-ddzzz"` → `"yyyy-MM-dd"`
 * example keeps the written date).
 */
export interface DateParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** Fraction of a second as a digit string ("1" for .1), so precision round-trips. */
  fraction: string
  /** Minutes east of UTC, when the input had an offset. */
  offset?: number
}

type Part = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number }

const FIELD_LETTERS = new Set(['y', 'M', 'd', 'H', 'h', 'm', 's', 'f', 'F', 't', 'z', 'K'])
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

export function tokenizeFormat(format: string): Part[] {
  const parts: Part[] = []
  let i = 0
  while (i < format.length) {
    const ch = format[i]!
    if (ch === "'" || ch === '"') {
      const close = format.indexOf(ch, i + 1)
      if (close === -1) throw new Error(`unterminated quoted text in format ${JSON.stringify(format)}`)
      parts.push({ kind: 'literal', text: format.slice(i + 1, close) })
      i = close + 1
    } else if (ch === '\\') {
      parts.push({ kind: 'literal', text: format[i + 1] ?? '' })
      i += 2
    } else if (ch === '%') {
      i++
    } else if (FIELD_LETTERS.has(ch)) {
      let end = i
      while (format[end] === ch) end++
      parts.push({ kind: 'field', letter: ch, count: end - i })
      i = end
    } else {
      parts.push({ kind: 'literal', text: ch })
      i++
    }
  }
  return parts
}

/** Parses `input` exactly as `format` describes, or throws naming the first mismatch. */
export function parseWithFormat(input: string, format: string): DateParts {
  const parts: DateParts = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, fraction: '' }
  let pm: boolean | undefined
  let twelveHour = false
  let pos = 0
  const fail = (what: string): Error =>
    new Error(`${JSON.stringify(input)} does not match ${JSON.stringify(format)} at ${what}`)
  const digits = (min: number, max: number, what: string): number => {
    let end = pos
    while (end < input.length && end - pos < max && /[0-9]/.test(input[end]!)) end++
    if (end - pos < min) throw fail(what)
    const value = Number(input.slice(pos, end))
    pos = end
    return value
  }
  for (const part of tokenizeFormat(format)) {
    if (part.kind === 'literal') {
      if (!input.startsWith(part.text, pos)) throw fail(JSON.stringify(part.text))
      pos += part.text.length
      continue
    }
    const { letter, count } = part
    const max = count === 1 ? 2 : count
    switch (letter) {
      case 'y': {
        const year = digits(count <= 2 ? 1 : count, count <= 2 ? 2 : Math.max(count, 4), 'year')
        // .NET's two-digit year window: 00–49 → 2000s, 50–99 → 1900s.
        parts.year = count <= 2 ? year + (year < 50 ? 2000 : 1900) : year
        break
      }
      case 'M':
        if (count >= 3) {
          const names = MONTHS.map((name) => (count === 3 ? name.slice(0, 3) : name))
          const index = names.findIndex((name) => input.startsWith(name, pos))
          if (index === -1) throw fail('month name')
          parts.month = index + 1
          pos += names[index]!.length
        } else parts.month = digits(count, max, 'month')
        break
      case 'd':
        if (count >= 3) {
          const names = DAYS.map((name) => (count === 3 ? name.slice(0, 3) : name))
          const name = names.find((candidate) => input.startsWith(candidate, pos))
          if (!name) throw fail('day name')
          pos += name.length
        } else parts.day = digits(count, max, 'day')
        break
      case 'H':
        parts.hour = digits(count, max, 'hour')
        break
      case 'h':
        parts.hour = digits(count, max, 'hour')
        twelveHour = true
        break
      case 'm':
        parts.minute = digits(count, max, 'minute')
        break
      case 's':
        parts.second = digits(count, max, 'second')
        break
      case 'f':
      case 'F': {
        const start = pos
        digits(letter === 'f' ? count : 0, count, 'fraction')
        parts.fraction = input.slice(start, pos)
        break
      }
      case 't': {
        const marker = input.slice(pos, pos + count).toUpperCase()
        if (!['A', 'P', 'AM', 'PM'].includes(marker)) throw fail('AM/PM')
        pm = marker.startsWith('P')
        pos += count
        break
      }
      default: {
        // z, zz, zzz, K: an offset; K also accepts "Z".
        if (letter === 'K' && input[pos] === 'Z') {
          parts.offset = 0
          pos++
          break
        }
        const sign = input[pos]
        if (sign !== '+' && sign !== '-') {
          if (letter === 'K') break
          throw fail('offset')
        }
        pos++
        const hours = digits(letter === 'z' && count < 2 ? 1 : 2, 2, 'offset hours')
        let minutes = 0
        if (letter === 'K' || count >= 3) {
          if (input[pos] !== ':') throw fail('offset ":"')
          pos++
          minutes = digits(2, 2, 'offset minutes')
        }
        parts.offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes)
      }
    }
  }
  if (pos !== input.length) throw fail(`extra text ${JSON.stringify(input.slice(pos))}`)
  if (twelveHour && pm !== undefined) parts.hour = (parts.hour % 12) + (pm ? 12 : 0)
  checkDate(parts, input)
  return parts
}

function checkDate(parts: DateParts, input: string): void {
  const daysInMonth = new Date(Date.UTC(parts.year, parts.month, 0)).getUTCDate()
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    parts.day > daysInMonth ||
    parts.hour > 23 ||
    parts.minute > 59 ||
    parts.second > 59
  )
    throw new Error(`${JSON.stringify(input)} is not a valid date`)
}

const pad = (value: number, width: number) => String(Math.abs(value)).padStart(width, '0')

export function formatWithFormat(parts: DateParts, format: string): string {
  let out = ''
  for (const part of tokenizeFormat(format)) {
    if (part.kind === 'literal') {
      out += part.text
      continue
    }
    const { letter, count } = part
    switch (letter) {
      case 'y':
        out += count === 2 ? pad(parts.year % 100, 2) : pad(parts.year, count === 1 ? 1 : count)
        break
      case 'M':
        out +=
          count >= 3
            ? MONTHS[parts.month - 1]!.slice(0, count === 3 ? 3 : undefined)
            : pad(parts.month, count)
        break
      case 'd': {
        const weekday = DAYS[new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()]!
        out += count >= 3 ? weekday.slice(0, count === 3 ? 3 : undefined) : pad(parts.day, count)
        break
      }
      case 'H':
        out += pad(parts.hour, count)
        break
      case 'h':
        out += pad(parts.hour % 12 === 0 ? 12 : parts.hour % 12, count)
        break
      case 'm':
        out += pad(parts.minute, count)
        break
      case 's':
        out += pad(parts.second, count)
        break
      case 'f':
        out += parts.fraction.padEnd(count, '0').slice(0, count)
        break
      case 'F':
        out += parts.fraction.slice(0, count).replace(/0+$/, '')
        break
      case 't':
        out += (parts.hour < 12 ? 'AM' : 'PM').slice(0, count === 1 ? 1 : 2)
        break
      default:
        out += formatOffset(parts.offset, letter, count)
    }
  }
  return out
}

function formatOffset(offset: number | undefined, letter: string, count: number): string {
  if (letter === 'K' && offset === undefined) return ''
  const value = offset ?? 0
  if (letter === 'K' && value === 0) return 'Z'
  const sign = value < 0 ? '-' : '+'
  const hours = Math.floor(Math.abs(value) / 60)
  if (letter === 'z' && count === 1) return `${sign}${hours}`
  if (letter === 'z' && count === 2) return `${sign}${pad(hours, 2)}`
  return `${sign}${pad(hours, 2)}:${pad(Math.abs(value) % 60, 2)}`
}
