import { Link } from '../../components/Link'
import type { PersonRef } from '../../lib/types'

/** A titled list of people linking to their detail pages (manager, direct reports). */
export function PeoplePanel({ title, people, empty }: { title: string; people: PersonRef[]; empty: string }) {
  return (
    <div className="card">
      <h2>
        {title}
        {people.length > 1 ? <span className="count"> {people.length}</span> : null}
      </h2>
      {people.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="people">
          {people.map((person) => (
            <li key={person.id}>
              <Link href={`/employees/${encodeURIComponent(person.id)}`}>
                {person.displayName || person.userName}
              </Link>
              {person.title ? <span className="muted small"> {person.title}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
