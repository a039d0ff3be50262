// vite.config.ts
import react from '@vitejs/plugin-react'
import { defineConfig, loadEnv } from 'vite'
import { createMindbodyProxy, toNodeHandler } from 'react-mindbody-user-token/server'

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'MINDBODY_') // never VITE_: those reach the browser
  return {
    plugins: [
      react(),
      {
        name: 'mindbody-proxy',
        configureServer(server) {
          const proxy = createMindbodyProxy({
            apiKey: env.MINDBODY_API_KEY!,
            secret: env.MINDBODY_SESSION_SECRET!,
            siteIds: [-99],
            secure: false, // the dev server is http://localhost
          })
          server.middlewares.use(toNodeHandler(proxy))
        },
      },
    ],
  }
})
