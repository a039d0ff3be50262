// Runtime measurements in Node with a jsdom document and a real local HTTP server. Run with
// --expose-gc (npm run bench does). axios uses its Node http adapter: no XMLHttpRequest is defined.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { JSDOM } from 'jsdom'

const dom = new JSDOM('<!doctype html><div id="root"></div>')
globalThis.window = dom.window
globalThis.document = dom.window.document
if (!globalThis.navigator) globalThis.navigator = dom.window.navigator
globalThis.IS_REACT_ACT_ENVIRONMENT = false

const { createElement: h, useLayoutEffect, useState } = await import('react')
const { createRoot } = await import('react-dom/client')
const { QueryClient, useMutation, useQuery, useQueryClient, QueryClientProvider } =
  await import('@tanstack/react-query')
const { default: axios } = await import('axios')
const lib = await import('../dist/index.js')

const STAFF = { Username: 'bench', Password: 'bench-password' }

/** A local Mindbody stand-in: issue answers a fresh token, revoke answers {}. */
export async function startServer() {
  let n = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.setHeader('Content-Type', 'application/json')
      if (request.url.endsWith('/issue')) {
        n++
        response.end(
          JSON.stringify({
            TokenType: 'Bearer',
            AccessToken: `token-${n}`,
            Expires: new Date(Date.now() + 864e5).toISOString(),
            User: { Id: 1, FirstName: 'Bench', Type: 'Staff' },
          }),
        )
      } else response.end('{}')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, baseURL: `http://127.0.0.1:${server.address().port}` }
}

const mount = (element) => {
  const container = globalThis.document.createElement('div')
  const root = createRoot(container)
  root.render(element)
  return root
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

/** Resolves on the next token a subscriber commits. */
function tokenWatch() {
  let resolve
  return {
    next: () => new Promise((r) => (resolve = r)),
    seen: (token) => {
      if (token) resolve?.(token)
    },
  }
}
const Watcher = ({ token, watch }) => {
  useLayoutEffect(() => {
    watch.seen(token)
  }, [token, watch])
  return null
}

/** The three ways to sign in: each returns { signIn(): Promise<number ms>, unmount }. */
export async function variants(baseURL) {
  const url = `${baseURL}/public/v6/usertoken/issue`
  const headers = { SiteId: '-99' }
  const make = async (tree, getTrigger) => {
    const watch = tokenWatch()
    const root = mount(tree(watch))
    await tick()
    await tick()
    return {
      async signIn() {
        const seen = watch.next()
        const start = performance.now()
        getTrigger()(STAFF)
        await seen
        return performance.now() - start
      },
      unmount: () => root.unmount(),
    }
  }

  let libraryTrigger
  const LibraryTrigger = () => ((libraryTrigger = lib.useIssueToken().mutate), null)
  const LibrarySubscriber = ({ watch }) => h(Watcher, { token: lib.useUserToken().accessToken, watch })
  const library = await make(
    (watch) =>
      h(
        lib.MindbodyProvider,
        { siteId: -99, baseURL, queryClient: new QueryClient() },
        h(LibraryTrigger),
        h(LibrarySubscriber, { watch }),
      ),
    () => libraryTrigger,
  )

  let rawTrigger
  const Raw = ({ watch }) => {
    const [token, setToken] = useState(null)
    rawTrigger = (body) => axios.post(url, body, { headers }).then((r) => setToken(r.data))
    return h(Watcher, { token: token?.AccessToken, watch })
  }
  const raw = await make(
    (watch) => h(Raw, { watch }),
    () => rawTrigger,
  )

  let rqTrigger
  const RqTrigger = () => {
    const client = useQueryClient()
    rqTrigger = useMutation({
      mutationFn: (body) => axios.post(url, body, { headers }).then((r) => r.data),
      onSuccess: (token) => client.setQueryData(['token'], token),
    }).mutate
    return null
  }
  const RqSubscriber = ({ watch }) => {
    const client = useQueryClient()
    const { data } = useQuery({
      queryKey: ['token'],
      queryFn: () => client.getQueryData(['token']) ?? null,
      staleTime: Infinity,
    })
    return h(Watcher, { token: data?.AccessToken, watch })
  }
  const reactQuery = await make(
    (watch) =>
      h(QueryClientProvider, { client: new QueryClient() }, h(RqTrigger), h(RqSubscriber, { watch })),
    () => rqTrigger,
  )
  return { library, raw, reactQuery }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

export async function signInLatency(baseURL, rounds = 300, warmup = 30) {
  const v = await variants(baseURL)
  const times = { library: [], raw: [], reactQuery: [] }
  for (let i = 0; i < warmup + rounds; i++) {
    for (const name of Object.keys(times)) {
      const ms = await v[name].signIn()
      if (i >= warmup) times[name].push(ms)
    }
  }
  Object.values(v).forEach((x) => x.unmount())
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]))
}

export async function rendersPerChange(baseURL, subscribers, changes = 5) {
  const counts = { token: 0, config: 0 }
  let trigger
  const Trigger = () => ((trigger = lib.useIssueToken().mutateAsync), null)
  const Subscriber = () => (counts.token++, lib.useUserToken(), null)
  const ConfigReader = () => (counts.config++, lib.useMindbodyConfig(), null)
  const root = mount(
    h(
      lib.MindbodyProvider,
      { siteId: -99, baseURL, queryClient: new QueryClient() },
      h(Trigger),
      ...Array.from({ length: subscribers }, (_, i) => h(Subscriber, { key: `s${i}` })),
      ...Array.from({ length: 10 }, (_, i) => h(ConfigReader, { key: `c${i}` })),
    ),
  )
  for (let i = 0; i < 5; i++) await tick()
  const before = { ...counts }
  for (let i = 0; i < changes; i++) {
    await trigger(STAFF)
    for (let j = 0; j < 3; j++) await tick()
  }
  root.unmount()
  return {
    perSubscriber: (counts.token - before.token) / (subscribers * changes),
    configRenders: counts.config - before.config,
  }
}

export async function heapGrowth(baseURL, cycles = 10_000, warmup = 500) {
  let signIn, signOut
  const Session = () => {
    signIn = lib.useIssueToken().mutateAsync
    signOut = lib.useRevokeToken().mutateAsync
    lib.useUserToken()
    return null
  }
  const root = mount(
    h(
      lib.MindbodyProvider,
      {
        siteId: -99,
        baseURL,
        queryClient: new QueryClient({ defaultOptions: { mutations: { gcTime: 0 } } }),
      },
      h(Session),
    ),
  )
  await tick()
  const cycle = async (n) => {
    for (let i = 0; i < n; i++) {
      await signIn(STAFF)
      await signOut()
    }
    for (let i = 0; i < 5; i++) await tick()
  }
  const heap = () => (globalThis.gc(), globalThis.gc(), process.memoryUsage().heapUsed)
  await cycle(warmup)
  const before = heap()
  const start = performance.now()
  await cycle(cycles)
  const seconds = (performance.now() - start) / 1000
  const after = heap()
  root.unmount()
  return { growthKiB: (after - before) / 1024, seconds }
}
