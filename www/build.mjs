// Bundles the page's libraries (www/vendor.js) into www/build/ with Vite's library mode;
// the page's own modules are served as they are.
//   node www/build.mjs
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: out,
    emptyOutDir: true,
    lib: {
      entry: { vendor: join(here, 'vendor.js'), viz: join(here, '..', 'node_modules', '@viz-js', 'viz', 'dist', 'viz.js') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
mkdirSync(out, { recursive: true });
copyFileSync(join(here, '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), join(out, 'uplot.css'));
console.log('built www/build/');
