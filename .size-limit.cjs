// min+gzip with the peers external, bundled by esbuild. Each limit is the measured size rounded up to
// the next 50 B, so any growth is a decision. The targets and the gaps are in the README.
const ignore = ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', 'axios', 'msw']
const check = (name, path, importSpec, limit) => ({
  name,
  path,
  import: importSpec,
  ignore,
  gzip: true,
  limit,
})

module.exports = [
  check('the whole root entry', 'dist/index.js', '*', '6350 B'),
  check(
    '{ MindbodyProvider, useIssueToken, useRevokeToken, useUserToken }',
    'dist/index.js',
    '{ MindbodyProvider, useIssueToken, useRevokeToken, useUserToken }',
    '5800 B',
  ),
  check(
    'createUserTokenApi alone, from /core (no React)',
    'dist/core.js',
    '{ createUserTokenApi }',
    '2300 B',
  ),
]
