/** A coloured pill: green for good states, grey/red for the rest. */
export function StatusBadge({ tone, children }: { tone: 'good' | 'muted' | 'bad'; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
