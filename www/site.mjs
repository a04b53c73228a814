// Writes site/: the workshop as a self-contained static site — the page, its modules and
// libraries, the package's browser files and both wasm builds, and the service worker
// that isolates the page on hosts that cannot set headers (coi-sw.js). No CDN, no
// server-side code: copy the folder to any static host (see README, "Publishing").
//   node www/site.mjs [--out DIR]      (after the package and www/build are built)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : join(root, 'site');

for (const need of [join(root, 'dist', 'index.js'), join(root, 'dist', 'threads', 'daskling_bg.wasm'), join(here, 'build', 'vendor.js')]) {
  if (!existsSync(need)) throw new Error(`${need} is missing: run \`npm run build\` and \`node www/build.mjs\` first (npm run build:site does)`);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const f of ['main.js', 'style.css', 'coi.js', 'coi-sw.js']) cpSync(join(here, f), join(out, f));
for (const d of ['src', 'build']) cpSync(join(here, d), join(out, d), { recursive: true });
// The package's browser files: the Node entry and the declarations stay out.
cpSync(join(root, 'dist'), join(out, 'dist'), {
  recursive: true,
  filter: (src) => !/node(-pool)?(-worker)?\.js$|\.d\.ts$/.test(src),
});
// The page, with the isolation script first (before any module runs).
const html = readFileSync(join(here, 'index.html'), 'utf8');
const tag = '<script src="coi.js"></script>';
if (!html.includes('<meta name="viewport"')) throw new Error('www/index.html: no viewport meta to put coi.js after');
writeFileSync(join(out, 'index.html'), html.replace(/(<meta name="viewport"[^>]*>)/, `$1\n  ${tag}`));
// GitHub Pages: serve the folder as it is (no Jekyll).
writeFileSync(join(out, '.nojekyll'), '');
console.log(`built ${out}/`);
