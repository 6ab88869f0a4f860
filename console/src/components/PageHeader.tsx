import { type ReactNode, useEffect } from 'react'

/** The page's h1, also used as the document title. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Roster`
  }, [title])
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children === undefined ? null : <div className="page-header-extra">{children}</div>}
    </div>
  )
}
