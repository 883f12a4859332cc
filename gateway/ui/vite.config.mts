import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The dashboard's bundle: every library inside it (no CDN), written where the gateway serves it from.
export default defineConfig({
  root: here,
  base: '/_gateway/ui/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/gateway/ui', import.meta.url)),
    emptyOutDir: true,
    // Graphviz (WebAssembly inlined) is one large chunk, loaded only when the dependency map is drawn.
    chunkSizeWarningLimit: 2_000,
  },
});
