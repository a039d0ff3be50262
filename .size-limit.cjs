// min+gzip with the peers external, bundled by esbuild. Each limit is the measured size rounded up to
// the next 50 B, so any growth is a decision. The targets and the gaps are in the README.
const ignore = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@tanstack/react-query',
  'axios',
  'msw',
  'jose',
  '@remix-run/node-fetch-server',
  // Node's own modules, which the /server entry loads only under toNodeHandler.
  'node:http',
  'node:https',
  'node:zlib',
]
/**
 * The 183 permission names that make an owner's or admin's permissions: the client imports them only
 * when an owner or admin signs in, so bundlers make them a chunk of their own, measured apart below.
 */
const ownersNames = './staffPermissions-*'
const check = (name, path, importSpec, limit, also = []) => ({
  name,
  path,
  import: importSpec,
  ignore: [...ignore, ...also],
  gzip: true,
  limit,
})

module.exports = [
  // 10 594 B: +1 056 B for issue 29 (useStaffPermissions, the gate's permission, the factory, the
  // page's one read, the error table's ~290 B).
  // 12 572 B: +2 028 B for issue 31, the front desk: useDesk and useApproval (~1.7 kB, shed by an app
  // that imports neither: the desk calls and their strict parse, the page's desk and approvals), and
  // the provider's part below.
  // 13 076 B: +485 B for issue 32, the typed client (useMindbodyApi, its two factories, and forgetting
  // a staff member's answers at a change of staff); its types, all 149 operations, cost nothing here.
  check("the whole root entry, but for the owners' names chunk", 'dist/index.js', '*', '13100 B', [
    ownersNames,
  ]),
  check(
    'the names chunk, loaded only when an owner or admin signs in',
    'dist/staffPermissions-*.js',
    undefined,
    '1700 B',
  ),
  check(
    '{ MindbodyProvider, useIssueToken, useRevokeToken, useUserToken }',
    'dist/index.js',
    '{ MindbodyProvider, useIssueToken, useRevokeToken, useUserToken }',
    // 8 779 B: +420 B for issue 29 (the error table, and forgetting permissions at a change of staff).
    // 9 018 B: +293 B for issue 31 (the 'locked' reason from a 423 or a locked /session, a late
    // revalidation that ends no newer sign-in, the idle lock and its fallback, the desk read again at a
    // change of staff, a PIN kept out of errors).
    // 9 068 B: +39 B for issue 32 (a sign-out or a change of staff removes the typed client's answers).
    '9100 B',
  ),
  // The typed client's budget is the difference of these two (at most 500 B, issue 32), which
  // scripts/size.mjs checks: useMindbodyClient needs its provider, so both count it.
  // 8 697 B and 9 182 B: 485 B beyond.
  check(
    '{ MindbodyProvider, useMindbodyClient }',
    'dist/index.js',
    '{ MindbodyProvider, useMindbodyClient }',
    '8700 B',
  ),
  check(
    '{ MindbodyProvider, useMindbodyClient, useMindbodyApi, mindbodyQueryOptions, mindbodyMutationOptions }',
    'dist/index.js',
    '{ MindbodyProvider, useMindbodyClient, useMindbodyApi, mindbodyQueryOptions, mindbodyMutationOptions }',
    '9200 B',
  ),
  check(
    'createUserTokenApi alone, from /core (no React)',
    'dist/core.js',
    '{ createUserTokenApi }',
    // 2 853 B: +290 B for the error table (MindbodyError.problem).
    '2900 B',
  ),
  // The server entry runs on a server, where bytes matter less; its budget only catches surprises.
  // 15 850 B: +4 308 B for issue 29 (the 183 permission names, ~1.6 kB, the permissions route and
  // option, getSiteActivation, the core's problem table).
  // 20 224 B: +4 374 B for issue 30 (security events, OpenTelemetry spans and counters through the
  // app's own API, the call meter and its budget, shared GETs).
  // 21 422 B: +1 198 B after the adversary's pass (telemetry that never throws, and Mindbody's 141
  // published routes as the only route names, ~0.9 kB).
  // 26 501 B: +5 079 B for issue 31 (the shared desk: its store's compare-and-set, the desk pass, PIN
  // hashes, lock, unlock, PINs and shifts, approvals bound to a call, their events and messages).
  // 27 284 B: +783 B after the desk's adversary and model tests (a pass naming who was active, 409
  // DeskChanged and the late sign-out, one PIN attempt taken before each hash, PIN changes that need
  // the current PIN and are counted, approvals sent as their approver, cancelled or refused once the
  // approver is gone).
  // 27 299 B: +15 B after issue 32's re-read (one limitHit for three fail-closed counts, −11 B; an
  // unlock that keeps a racing renewal's token and expiry, +26 B).
  // 27 332 B: +33 B after the adversary's pass on it (an unlock does not bring back a session revoked
  // on its way, a desk pass sent before a change does not show an ended session, a limit store's
  // nonsense count fails closed).
  check('the /server proxy (jose and node-fetch-server external)', 'dist/server.js', '*', '27350 B'),
]
