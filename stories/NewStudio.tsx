import { useEffect, useState } from 'react'
import { MindbodyProvider, type MindbodyError } from '../src'
import { getSiteActivation } from '../src/server/getSiteActivation'
import { StaffSignIn } from './StaffSignIn'
import { staff } from './mock'

/** Props of the onboarding demo. */
export interface NewStudioProps {
  /** The mock's sites that have not activated the key: the owner's click takes the site out. */
  unactivatedSites: Array<string | number>
  siteId: number
}

/**
 * A studio's first day: staff sign-in fails until the owner opens the activation link, which your
 * server gets from `getSiteActivation` (here it runs in the page, against the mock, with a demo key).
 */
export function NewStudio({ unactivatedSites, siteId }: NewStudioProps) {
  const [link, setLink] = useState<string | null>(null)
  const [failure, setFailure] = useState<MindbodyError | null>(null)
  const [activated, setActivated] = useState(false)
  // Each fresh start is a studio that has not activated the key yet.
  useEffect(() => {
    if (!unactivatedSites.includes(siteId)) unactivatedSites.push(siteId)
  }, [unactivatedSites, siteId])
  const fetchLink = () =>
    getSiteActivation({ apiKey: 'demo-api-key', siteId, baseURL: window.location.origin })
      .then(({ ActivationLink }) => setLink(ActivationLink))
      .catch(setFailure)
  const ownerOpensLink = () => {
    unactivatedSites.splice(unactivatedSites.indexOf(siteId), 1)
    setActivated(true)
  }
  return (
    <div className="mb-two-sites">
      <section aria-label="The front desk">
        <MindbodyProvider siteId={siteId}>
          <StaffSignIn title="Staff sign-in" hint={staff} />
        </MindbodyProvider>
      </section>
      <section aria-label="Your server" className="mb-panel">
        <h3>On your server</h3>
        <p>
          <code>getSiteActivation({'{ apiKey, siteId }'})</code> asks Mindbody for the studio's activation
          link; the API key never reaches a browser.
        </p>
        <button type="button" onClick={fetchLink}>
          Get the activation link
        </button>
        {failure && <p role="alert">{failure.message}</p>}
        {link && (
          <>
            <p>
              Send the studio's owner this link: <a href={link}>{link}</a>
            </p>
            <button type="button" onClick={ownerOpensLink} disabled={activated}>
              The owner opens the link
            </button>
            {activated && <p role="status">Site {siteId} has activated your key: staff can sign in now.</p>}
          </>
        )}
      </section>
    </div>
  )
}
