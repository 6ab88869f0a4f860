import type { FunctionSpec } from '../function-spec.js'
import { toText } from '../values.js'

/**
 * Letters that Unicode decomposition does not reduce to a base letter plus marks, from
 * Microsoft's NormalizeDiacritics table (ß→ss, æ→ae, ø→oe, ł→l, ı→i …).
 */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  ø: 'oe',
  Ø: 'OE',
  œ: 'oe',
  Œ: 'OE',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
}
const SPECIAL_PATTERN = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g')

/** Decompose (NFD), map the special letters, drop the combining marks, recompose. */
export function normalizeDiacritics(value: string): string {
  return value
    .normalize('NFD')
    .replace(SPECIAL_PATTERN, (ch) => SPECIAL[ch] ?? ch)
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
}

export const normalizeDiacriticsFunction: FunctionSpec = {
  name: 'NormalizeDiacritics',
  params: [{ name: 'source' }],
  evaluate(args) {
    const source = toText(args.value(0), 'NormalizeDiacritics source')
    return source === null ? null : normalizeDiacritics(source)
  },
}
