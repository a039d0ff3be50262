import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { mindbodyQueryOptions, useMindbodyApi } from '../src'

const timeOf = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : ''

/** Today's classes, from the typed client: `GET /class/classes`, typed as Mindbody describes it. */
export function TodaysClasses() {
  const api = useMindbodyApi()
  const classes = useQuery({
    ...mindbodyQueryOptions(api, '/class/classes', { query: { 'request.hideCanceledClasses': true } }),
    retry: false,
  })
  return (
    <section aria-labelledby="classes-title" className="mb-panel">
      <h3 id="classes-title">Today's classes</h3>
      {classes.isPending && <p role="status">Loading the schedule…</p>}
      {classes.error && <p role="alert">The schedule could not be loaded: {classes.error.message}</p>}
      {classes.data && (
        <ul aria-label="Today's classes">
          {classes.data.Classes?.map((c) => (
            <li key={c.Id}>
              <time dateTime={c.StartDateTime ?? undefined}>{timeOf(c.StartDateTime)}</time>{' '}
              {c.ClassDescription?.Name} <span className="mb-muted">with {c.Staff?.DisplayName}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The site's teachers, from `GET /staff/staff`. */
export function Team() {
  const api = useMindbodyApi()
  const team = useQuery({
    ...mindbodyQueryOptions(api, '/staff/staff', { query: { 'request.limit': 20 } }),
    retry: false,
  })
  return (
    <section aria-labelledby="team-title" className="mb-panel">
      <h3 id="team-title">Team</h3>
      {team.isPending && <p role="status">Loading the team…</p>}
      {team.error && <p role="alert">The team could not be loaded: {team.error.message}</p>}
      {team.data && (
        <ul aria-label="Team">
          {team.data.StaffMembers?.map((s) => (
            <li key={s.Id}>{s.DisplayName}</li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** A client search, from `GET /client/clients` with `request.searchText`: each search its own query. */
export function ClientSearch() {
  const api = useMindbodyApi()
  const [searchText, setSearchText] = useState('')
  const clients = useQuery({
    ...mindbodyQueryOptions(api, '/client/clients', { query: { 'request.searchText': searchText } }),
    placeholderData: keepPreviousData,
    retry: false,
  })
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setSearchText(String(new FormData(event.currentTarget).get('search') ?? ''))
  }
  return (
    <section aria-labelledby="clients-title" className="mb-panel">
      <h3 id="clients-title">Clients</h3>
      <form role="search" onSubmit={search}>
        <label>
          Search clients <input type="search" name="search" />
        </label>{' '}
        <button type="submit">Search</button>
      </form>
      {clients.error && <p role="alert">The clients could not be loaded: {clients.error.message}</p>}
      {clients.data && (
        <ul aria-label="Clients" aria-busy={clients.isFetching}>
          {clients.data.Clients?.map((c) => (
            <li key={c.Id}>
              {c.FirstName} {c.LastName} {c.Active ? '' : <span className="mb-muted">(inactive)</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
