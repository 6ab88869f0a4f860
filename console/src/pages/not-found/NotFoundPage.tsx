import { Link } from '../../components/Link'
import { PageHeader } from '../../components/PageHeader'

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. Go to the <Link href="/employees">employees</Link>.
      </p>
    </section>
  )
}
