interface PagerProps {
  page: number
  pageCount: number
  total: number
  noun: string
  onPage: (page: number) => void
}

/** "Page x of y" with previous/next buttons, for server-side paging. */
export function Pager({ page, pageCount, total, noun, onPage }: PagerProps) {
  return (
    <nav className="pager" aria-label="Pages">
      <span className="pager-total">
        {total.toLocaleString()} {noun}
      </span>
      <button type="button" className="button small" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </button>
      <span className="pager-status" aria-live="polite">
        Page {page} of {Math.max(pageCount, 1)}
      </span>
      <button
        type="button"
        className="button small"
        onClick={() => onPage(page + 1)}
        disabled={page >= pageCount}
      >
        Next
      </button>
    </nav>
  )
}
