// app/mindbody/[...path]/route.ts
import { createMindbodyProxy } from 'react-mindbody-user-token/server'

const proxy = createMindbodyProxy({
  apiKey: process.env.MINDBODY_API_KEY!,
  secret: process.env.MINDBODY_SESSION_SECRET!, // at least 32 random characters
  siteIds: [Number(process.env.NEXT_PUBLIC_MINDBODY_SITE_ID)],
  basePath: '/mindbody',
})

export { proxy as GET, proxy as POST, proxy as DELETE }
