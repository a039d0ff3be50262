/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_MINDBODY_BASE_URL?: string
  readonly VITE_MINDBODY_SITE_ID?: string
  readonly VITE_MINDBODY_API_KEY?: string
  readonly VITE_SCREENSHOT_DIR?: string
}
