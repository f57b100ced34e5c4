// What the CLI's entry imports before a command's code, so esbuild's service starts (and the config file is
// bundled) while that code loads. Its own module: the entry's chunk then holds only the bundler.
export { prefetchBundle, startBundler } from '@evolve/project';
