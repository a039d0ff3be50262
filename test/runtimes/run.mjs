// npm run test:runtimes: the built /server proxy on Deno 2, Bun 1 and workerd (Cloudflare's runtime),
// installed from the npm registry into a temporary folder, against the loopback stand-in: a sign-in
// sealed into a cookie, forwarded calls with it, a sign-out, and the same cookie refused after it; a
// shared desk locked and unlocked with a PIN.
// Needs `npm run build` first.
import { strict as assert } from 'node:assert'
import { execFile, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const script = fileURLToPath(new URL('./proxy.mjs', import.meta.url))
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url))
const prefix = mkdtempSync(join(tmpdir(), 'runtimes-'))
execFileSync(
  'npm',
  [
    'install',
    '--prefix',
    prefix,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    'deno@2',
    'bun@1',
    'workerd@1',
  ],
  { stdio: 'inherit' },
)

// A stand-in Mindbody: sign-in, revoke, and a staff list that needs a token it issued and has not revoked.
const valid = new Set()
const upstream = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json')
    if (req.headers['api-key'] !== 'runtime-key')
      return res.writeHead(401).end('{"Error":{"Code":"DeniedAccess"}}')
    if (req.url.endsWith('/usertoken/issue')) {
      const token = `token-${valid.size + 1}`
      valid.add(token)
      return res.end(
        JSON.stringify({
          AccessToken: token,
          Expires: new Date(Date.now() + 864e5).toISOString(),
          User: { Id: 7, FirstName: 'Ada', Type: 'Staff' },
        }),
      )
    }
    if (req.url.endsWith('/usertoken/revoke')) return (valid.delete(req.headers.authorization), res.end('{}'))
    if (!valid.has(req.headers.authorization))
      return res.writeHead(401).end('{"Error":{"Code":"DeniedAccess"}}')
    res.end('{"StaffMembers":[{"Id":7,"FirstName":"Ada"}]}')
  })
})
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${upstream.address().port}`

/** Runs the script on a runtime, answering the JSON line it printed last. */
const run = (command, args) =>
  new Promise((resolve, reject) =>
    execFile(command, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${command}: ${stderr || error.message}`))
        : resolve(JSON.parse(stdout.trim().split('\n').at(-1))),
    ),
  )
const bin = (name) => join(prefix, 'node_modules', '.bin', name)

/** A port nothing listens on now, for workerd's socket. */
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })

/**
 * The worker on workerd, bundled as Wrangler bundles one (esbuild, the `workerd` condition, no Node
 * built-ins, no `nodejs_compat`), its outbound calls allowed to the loopback stand-in only. Asks it
 * once, retrying while workerd starts listening, and answers what it answered.
 */
async function onWorkerd() {
  const dir = mkdtempSync(join(tmpdir(), 'workerd-'))
  await build({
    entryPoints: [worker],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['node:*'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'silent',
  })
  const version = execFileSync(bin('workerd'), ['--version']).toString().trim()
  const port = await freePort()
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [(name = "UPSTREAM", text = "${url}"), (name = "RUNTIME", text = "${version}")],
  globalOutbound = "loopback",
);
`,
  )
  const child = spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  try {
    for (;;) {
      const answer = await fetch(`http://127.0.0.1:${port}/`).catch(() => null)
      if (answer) {
        if (!answer.ok) throw new Error(`workerd: ${answer.status} ${await answer.text()}\n${stderr}`)
        return await answer.json()
      }
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100, 'running'))])
      if (code !== 'running') throw new Error(`workerd exited (${code}): ${stderr}`)
    }
  } finally {
    child.kill()
  }
}

try {
  for (const onRuntime of [
    () => run(bin('deno'), ['run', '--allow-net', '--allow-read', '--allow-env', script, url]),
    () => run(bin('bun'), ['run', script, url]),
    onWorkerd,
  ]) {
    const seen = await onRuntime()
    assert.deepEqual(
      seen.signIn,
      { Expires: seen.signIn.Expires, User: { Id: 7, FirstName: 'Ada', Type: 'Staff' } },
      `${seen.runtime}: the sign-in answer holds no AccessToken`,
    )
    assert.deepEqual(seen.lists, [200, 200, 200], `${seen.runtime}: forwarded calls with the cookie`)
    assert.deepEqual(
      seen.staff,
      { StaffMembers: [{ Id: 7, FirstName: 'Ada' }] },
      `${seen.runtime}: the staff list`,
    )
    assert.ok(seen.signOut >= 200 && seen.signOut < 300, `${seen.runtime}: signed out`)
    assert.deepEqual(seen.replayed, [401, 'revoked'], `${seen.runtime}: the same cookie after the sign-out`)
    assert.deepEqual(seen.events, ['sign-in', 'sign-out', 'session-ended'], `${seen.runtime}: the events`)
    // Sign-in, its permissions read, four forwarded calls, the sign-out's revoke.
    assert.equal(seen.calls, 7, `${seen.runtime}: the calls the meter counted`)
    // Sign in, set a PIN, lock, a call refused 423, a wrong PIN, the right one, a call, end the shift.
    assert.deepEqual(seen.desk, [200, 200, 200, 423, 403, 200, 200, 200], `${seen.runtime}: the shared desk`)
    console.log(
      `${seen.runtime}: signed in, 4 forwarded calls, signed out, the cookie refused after; a desk locked and unlocked with a PIN`,
    )
  }
} finally {
  upstream.close()
}
