// server.ts
import express from 'express'
import { createMindbodyProxy, toNodeHandler } from 'react-mindbody-user-token/server'

const app = express()
// Before any body parser: the proxy reads the request body itself.
app.use(
  toNodeHandler(
    createMindbodyProxy({
      apiKey: process.env.MINDBODY_API_KEY!,
      secret: process.env.MINDBODY_SESSION_SECRET!,
      siteIds: [-99],
      origins: process.env.APP_ORIGIN?.split(','), // where the app is served: https://portal.example
      upstream: process.env.MINDBODY_UPSTREAM, // leave unset for https://api.mindbodyonline.com
      secure: process.env.NODE_ENV === 'production',
      clientIp: (_request, client) => client?.address, // the socket's: this server faces the internet
      allowAnonymous: (method, path) => method === 'GET' && path === '/public/v6/site/sites',
    }),
  ),
)
app.use(express.static('dist')) // the app, built with <MindbodyProvider mode="server" baseURL="/mindbody">

export default app
