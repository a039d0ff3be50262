// vite.config.ts: server mode in development, against the mock Mindbody on this machine
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { createMindbodyProxy, toNodeHandler } from 'react-mindbody-user-token/server'
import { serveMockMindbody } from 'react-mindbody-user-token/testing'

export default defineConfig({
  plugins: [
    react(),
    {
      name: 'mindbody-proxy-on-the-mock',
      apply: 'serve', // the dev server only: a build never starts the mock
      async configureServer(server) {
        const mock = await serveMockMindbody() // http://127.0.0.1:<a free port>
        server.httpServer?.once('close', () => void mock.close())
        const proxy = createMindbodyProxy({
          apiKey: 'any', // the mock takes any key
          secret: 'for development only, at least 32 characters',
          siteIds: [-99],
          upstream: mock.url,
          secure: false, // the dev server is http://localhost
        })
        server.middlewares.use(toNodeHandler(proxy))
      },
    },
  ],
})
