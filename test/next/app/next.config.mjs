/** The token-mode section reaches the loopback Mindbody stand-in same-origin, through a rewrite (a real
 * app forwards `/mindbody-api` to Mindbody on its server, adding the API key). */
export default {
  async rewrites() {
    return [{ source: '/mindbody-api/:path*', destination: `${process.env.MINDBODY_UPSTREAM}/:path*` }]
  },
}
