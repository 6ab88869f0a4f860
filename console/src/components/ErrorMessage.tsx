import type { ReactNode } from 'react'

/** An inline error, announced by screen readers as it appears. */
export function ErrorMessage({ children, id }: { children: ReactNode; id?: string }) {
  return (
    <p className="error" role="alert" id={id}>
      {children}
    </p>
  )
}
