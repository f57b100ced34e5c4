// Entry of the bundled CLI: a project's `import { z } from 'zod'` resolves here when its zod is the exact
// version bundled, so one zod (a single file, much faster to load than zod's many modules) serves both.
export * from 'zod';
export { default } from 'zod';
