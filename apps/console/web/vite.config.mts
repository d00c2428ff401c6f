import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console's pages. React's automatic JSX runtime through Vite's own transformer (no plugin);
 * no inline scripts in the output (the console serves a CSP without 'unsafe-inline'), no source maps
 * shipped.
 */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  build: {
    outDir: `${here}../../../dist/console-web`,
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
