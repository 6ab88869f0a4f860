/** The last cell of a settings table row: a destructive action, when the viewer may take it. */
export function RowDangerAction({
  show,
  label,
  accessibleLabel,
  onClick,
}: {
  show: boolean
  label: string
  /** Names the row, e.g. "Revoke Entra ID": screen readers hear which row's button it is. */
  accessibleLabel: string
  onClick: () => void
}) {
  return (
    <td className="actions">
      {show ? (
        <button
          type="button"
          className="button small danger-outline"
          onClick={onClick}
          aria-label={accessibleLabel}
        >
          {label}
        </button>
      ) : null}
    </td>
  )
}
