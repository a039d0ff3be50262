import { renderToString } from 'react-dom/server'
import { App } from './App'

// Server rendering must work in Node, with no window: it shows the signed-out form.
const html = renderToString(<App />)
if (!html.includes('Sign in')) throw new Error(`SSR output lacks the sign-in form: ${html}`)
console.log('ssr ok:', html.length, 'characters')
