/**
 * How a request reaches a route handler: its URL as Next.js built it, and the `Host` the browser sent.
 * The test shows with it that the two differ, so a sign-in with no `APP_ORIGIN` tests the proxy's origin rule.
 */
export function GET(request: Request) {
  return Response.json({ url: request.url, host: request.headers.get('Host') })
}
