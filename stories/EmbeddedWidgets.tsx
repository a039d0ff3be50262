import { useEffect, useRef } from 'react'
import { createRoot } from 'react-dom/client'
import { MindbodyProvider } from '../src'
import { staff } from './mock'
import { StaffSignIn } from './StaffSignIn'
// Styles stop at a shadow root: the widget inside one brings its own.
import widgetStyles from './StaffSignIn.css?inline'

/**
 * Two widgets as a host page holds them: each its own React root, with its own `MindbodyProvider` and
 * no shared `QueryClient`; the second inside an open shadow root. They share one session because
 * they are on one page, for one site.
 */
export function EmbeddedWidgets() {
  const light = useRef<HTMLDivElement>(null)
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const shadow = host.current!.shadowRoot ?? host.current!.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent = widgetStyles
    const mount = document.createElement('div')
    shadow.replaceChildren(style, mount)
    const roots = (
      [
        [light.current!, 'front-', 'Front desk widget'],
        [mount, 'schedule-', 'Schedule widget, in Shadow DOM'],
      ] as const
    ).map(([container, prefix, title]) => {
      // Each root numbers its own useId()s: a prefix keeps two roots' ids apart.
      const root = createRoot(container, { identifierPrefix: prefix })
      root.render(
        <MindbodyProvider siteId={-99}>
          <StaffSignIn title={title} hint={staff} />
        </MindbodyProvider>,
      )
      return root
    })
    // A root cannot unmount while React commits another; the next task it can.
    return () => void setTimeout(() => roots.forEach((root) => root.unmount()))
  }, [])
  return (
    <div className="mb-two-sites">
      <section aria-label="Front desk widget root" ref={light} />
      <section aria-label="Schedule widget root" ref={host} />
    </div>
  )
}
