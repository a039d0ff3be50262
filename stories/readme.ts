import readme from '../README.md?raw'

const section = /^## Quick start\n[\s\S]*?^```tsx\n([\s\S]*?)^```$/m.exec(readme)

/**
 * The README's quick start (the first code block of its "Quick start" section): the Introduction
 * shows this text, so the two never differ.
 */
export const quickStart = section?.[1]?.trimEnd() ?? ''
if (!quickStart) throw new Error('README.md has no tsx code block under "## Quick start".')
