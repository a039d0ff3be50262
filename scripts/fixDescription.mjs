// Mindbody's published description (api/), as served, trips the usual code generators. Each fix here
// says which defect it mends and why the fix is safe; docs/assumptions.md lists them for the library's
// readers. `fixDescription` never edits the vendored file: it returns a fixed copy.

/** What every operation's path starts with; the library fills in the version. */
export const PREFIX = '/public/v{version}'

const DTO = 'Mindbody.PublicApi.Dto.Models.V6.'

/** The error every operation may answer, as Mindbody sends it: `{"Error":{"Message","Code"}}`. */
const ERROR_ANSWER = 'ErrorAnswer'

/**
 * A .NET type name as a TypeScript one: its last segment (`Mindbody.PublicApi.Dto.Models.V6.Class` is
 * `Class`), a generic named after its arguments (`KeyValuePair\`2[[System.String, mscorlib, …],…]`
 * is `KeyValuePairOfStringAndIEnumerableOfString`).
 */
export function shortName(dotnet) {
  const generic = /^([\w.]+)`\d+\[(.*)\]$/.exec(dotnet)
  if (!generic) return dotnet.split('.').pop()
  const args = []
  let depth = 0
  let start = 0
  for (let i = 0; i < generic[2].length; i++) {
    const c = generic[2][i]
    if (c === '[' && depth++ === 0) start = i + 1
    else if (c === ']' && --depth === 0) args.push(generic[2].slice(start, i))
  }
  // Each argument is `Type, assembly, Version=…`: the assembly is not part of the name.
  const typeOf = (arg) =>
    shortName(arg.includes('[') ? arg.slice(0, arg.lastIndexOf(']') + 1) : arg.split(',')[0])
  return `${shortName(generic[1])}Of${args.map(typeOf).join('And')}`
}

/**
 * The TypeScript name of each definition. Thirteen names exist twice, as `…Dto.Models.V6.Staff` and
 * `…Common.Models.Staff`: the V6 one keeps the short name, the other is prefixed `Common`.
 */
function definitionNames(definitions) {
  const names = new Map()
  const taken = new Set(
    Object.keys(definitions)
      .filter((n) => n.startsWith(DTO))
      .map(shortName),
  )
  for (const dotnet of Object.keys(definitions)) {
    const short = shortName(dotnet)
    const name = !dotnet.startsWith(DTO) && taken.has(short) ? `Common${short}` : short
    if ([...names.values()].includes(name)) throw new Error(`two definitions are both named ${name}`)
    names.set(dotnet, name)
  }
  return names
}

/** Rewrites every `$ref` under `node` with `rename`. */
function renameRefs(node, rename) {
  if (!node || typeof node !== 'object') return
  if (typeof node.$ref === 'string') node.$ref = `#/definitions/${rename(node.$ref.slice(14))}`
  for (const value of Object.values(node)) renameRefs(value, rename)
}

/** The served description, fixed: see each step. The input is not changed. */
export function fixDescription(served) {
  const spec = structuredClone(served)
  // 1. Type names: .NET's full names (up to 349 characters, one with assembly versions in it) break
  //    file writes in generators and make unreadable types. Each becomes its short name.
  const names = definitionNames(spec.definitions)
  spec.definitions = Object.fromEntries(Object.entries(spec.definitions).map(([n, d]) => [names.get(n), d]))
  renameRefs(spec, (dotnet) => names.get(dotnet) ?? dotnet)
  // 2. No error answers at all: every operation can fail, and Mindbody's failures all have one shape.
  spec.definitions[ERROR_ANSWER] = {
    description: "Mindbody's answer to a call that failed (the library throws it as a `MindbodyError`).",
    type: 'object',
    properties: { Error: { $ref: '#/definitions/ApiError' } },
  }
  const operationIds = new Map()
  for (const [path, item] of Object.entries(spec.paths))
    for (const [method, operation] of Object.entries(item)) {
      // 3. `version` is declared twice on every operation, in the path and as a header; only the
      //    path's is real. Headers (`siteId`, `authorization`, the one `consumer-identity-token`) are the
      //    session's to send, not a call's: the library fills them in from the provider and the token.
      operation.parameters = (operation.parameters ?? []).filter(
        (p) => p.in !== 'header' && !(p.in === 'path' && p.name === 'version'),
      )
      operation.responses.default = {
        description: 'A failure',
        schema: { $ref: `#/definitions/${ERROR_ANSWER}` },
      }
      // 4. `RemoveFromWaitlist` names two operations (an appointment's waitlist and a class's):
      //    each later one gets its tag appended (`RemoveFromWaitlistClass`), so every id is unique.
      const id = operation.operationId
      if (operationIds.has(id)) operation.operationId = `${id}${operation.tags?.[0] ?? method}`
      if (operationIds.has(operation.operationId)) throw new Error(`operationId ${id} is still taken`)
      operationIds.set(operation.operationId, `${method} ${path}`)
    }
  return spec
}

/** Every operation of `spec`: its path without `PREFIX`, its method and its description. */
export function operationsOf(spec) {
  return Object.entries(spec.paths).flatMap(([path, item]) => {
    if (!path.startsWith(`${PREFIX}/`)) throw new Error(`${path} is not under ${PREFIX}/`)
    return Object.entries(item).map(([method, operation]) => ({
      path: path.slice(PREFIX.length),
      method,
      operation,
    }))
  })
}
