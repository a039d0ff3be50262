/** The token-mode page reaches the loopback Mindbody stand-in same-origin, through a rewrite. */
export default {
  async rewrites() {
    return [{ source: '/stand-in/:path*', destination: `${process.env.MINDBODY_UPSTREAM}/:path*` }]
  },
}
