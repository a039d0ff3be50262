// app/mindbody/[...path]/route.ts
import { createMindbodyProxy } from 'react-mindbody-user-token/server'

const proxy = createMindbodyProxy({
  apiKey: process.env.MINDBODY_API_KEY!,
  secret: process.env.MINDBODY_SESSION_SECRET!, // at least 32 random characters
  siteIds: [Number(process.env.NEXT_PUBLIC_MINDBODY_SITE_ID)],
  origins: process.env.APP_ORIGIN?.split(','), // where the app is served: https://portal.example
  basePath: '/mindbody',
  upstream: process.env.MINDBODY_UPSTREAM, // unset: https://api.mindbodyonline.com
  secure: process.env.NODE_ENV === 'production',
})

export { proxy as GET, proxy as POST, proxy as DELETE }
