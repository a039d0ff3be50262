import { MindbodyProvider, type MindbodyConfig } from '../src'
import { StaffSignIn } from './StaffSignIn'

/** Props of the live demo: where the real Mindbody API is. */
export interface LiveSignInProps {
  /** `/mindbody` goes through Storybook's own proxy, which adds `Api-Key` from `MINDBODY_API_KEY`. */
  baseURL: string
  /** Sent from the browser; leave empty behind the proxy. */
  apiKey?: string
  siteId: MindbodyConfig['siteId']
}

/** The sign-in widget against the real Mindbody API, with a line that says where it talks to. */
export function LiveSignIn({ baseURL, apiKey, siteId }: LiveSignInProps) {
  return (
    <MindbodyProvider siteId={siteId} baseURL={baseURL} apiKey={apiKey || undefined}>
      <StaffSignIn
        title="Mindbody sign-in (live)"
        notMindbody={`Nothing at ${baseURL} passes calls on to Mindbody. This story needs Storybook's dev server, which has that proxy, and your API key: stop it and start it again with MINDBODY_API_KEY=your-key npm start. The static build has no proxy.`}
      />
      <p className="mb-live-note">
        Talking to <code>{baseURL}</code> for site <code>{siteId}</code>,{' '}
        {apiKey ? 'with an API key from this browser' : 'with no API key (a proxy adds it)'}.
      </p>
      <p className="mb-live-note">
        This story needs a Mindbody developer API key, which the demo does not have. Start Storybook with{' '}
        <code>MINDBODY_API_KEY=your-key npm start</code>: its dev server then adds the key to every call to{' '}
        <code>/mindbody</code>, on the server side. Set your site ID in the controls and sign in with a real
        staff account. Without a key, or in the static build, which has no proxy, Mindbody cannot be reached.
      </p>
    </MindbodyProvider>
  )
}
