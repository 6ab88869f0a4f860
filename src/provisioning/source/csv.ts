/**
 * An RFC 4180 CSV reader. Nothing installed parses CSV (no csv-parse or papaparse in node_modules, and
 * we add no dependencies for ~80 lines), so this is our own. On top of the RFC it accepts what
 * spreadsheets actually write: a UTF-8 byte-order mark, LF or lone CR instead of CRLF, no final line
 * break, and blank lines (skipped). It stays strict where leniency would silently corrupt data: a quote
 * inside an unquoted field, text after a closing quote, and an unterminated quote are errors.
 */

export interface CsvRecord {
  /** 1-based physical line on which the record starts (quoted fields may span lines). */
  readonly line: number
  readonly fields: readonly string[]
}

export type CsvParseResult =
  | { readonly ok: true; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly message: string }

const QUOTE = 0x22
const COMMA = 0x2c
const LF = 0x0a
const CR = 0x0d

export function parseCsv(text: string): CsvParseResult {
  const records: CsvRecord[] = []
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let lineStart = start
  let fields: string[] = []
  let recordLine = 1
  // A record that is one empty, unquoted field is a blank line.
  let sawQuote = false
  let i = start
  const fail = (at: number, message: string): CsvParseResult => ({
    ok: false,
    line,
    column: at - lineStart + 1,
    message,
  })
  const endRecord = (): void => {
    if (fields.length > 1 || fields[0] !== '' || sawQuote) records.push({ line: recordLine, fields })
    fields = []
    sawQuote = false
  }
  while (i <= text.length) {
    // Start of a field.
    if (fields.length === 0) recordLine = line
    let value: string
    if (text.charCodeAt(i) === QUOTE) {
      sawQuote = true
      const openLine = line
      const openColumn = i - lineStart + 1
      let parts = ''
      let from = i + 1
      for (;;) {
        const close = text.indexOf('"', from)
        if (close === -1) {
          return { ok: false, line: openLine, column: openColumn, message: 'a quoted field is never closed' }
        }
        for (let j = from; j < close; j++) {
          const code = text.charCodeAt(j)
          if (code === LF || (code === CR && text.charCodeAt(j + 1) !== LF)) {
            line++
            lineStart = j + 1
          }
        }
        parts += text.slice(from, close)
        if (text.charCodeAt(close + 1) === QUOTE) {
          parts += '"'
          from = close + 2
          continue
        }
        i = close + 1
        break
      }
      value = parts
      const next = text.charCodeAt(i)
      if (i < text.length && next !== COMMA && next !== LF && next !== CR) {
        return fail(i, 'text after a closing quote; a quote inside a quoted field is written as ""')
      }
    } else {
      let j = i
      while (j < text.length) {
        const code = text.charCodeAt(j)
        if (code === COMMA || code === LF || code === CR) break
        if (code === QUOTE) {
          return fail(j, 'a quote inside an unquoted field; quote the whole field and write the quote as ""')
        }
        j++
      }
      value = text.slice(i, j)
      i = j
    }
    fields.push(value)
    const code = text.charCodeAt(i)
    if (code === COMMA) {
      i++
      continue
    }
    endRecord()
    if (i >= text.length) break
    // A line break: CRLF, LF or CR.
    i += code === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
    line++
    lineStart = i
    if (i === text.length) break
  }
  return { ok: true, records }
}
