/** CLI output: JSON for scripts (`--json`), aligned text for people. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n')
    return
  }
  const cell = (value: unknown) => (value === null || value === undefined ? '-' : String(value))
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  )
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  process.stdout.write(`${line(columns)}\n`)
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => cell(row[column])))}\n`)
}
