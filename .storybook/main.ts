import type { StorybookConfig } from '@storybook/react-vite'
import remarkGfm from 'remark-gfm'

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.tsx'],
  addons: [
    // GitHub-flavoured Markdown, so the MDX pages' tables render as tables.
    {
      name: '@storybook/addon-docs',
      options: { mdxPluginOptions: { mdxCompileOptions: { remarkPlugins: [remarkGfm] } } },
    },
    '@storybook/addon-a11y',
    '@storybook/addon-vitest',
  ],
  framework: '@storybook/react-vite',
  staticDirs: ['../public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The same-origin proxy of the README's security note: the Live story's default base URL
  // `/mindbody` reaches the real API, and `Api-Key` is added here, on the server, never in the browser.
  viteFinal: (vite) => ({
    ...vite,
    server: {
      ...vite.server,
      proxy: {
        '/mindbody': {
          target: 'https://api.mindbodyonline.com',
          changeOrigin: true,
          rewrite: (path) => path.replace(/^\/mindbody/, ''),
          headers: process.env.MINDBODY_API_KEY ? { 'Api-Key': process.env.MINDBODY_API_KEY } : {},
        },
      },
    },
  }),
}

export default config
