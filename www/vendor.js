// The page's libraries, bundled once into www/build/vendor.js by www/build.mjs (no CDN:
// the page works offline from the `npm start` server).
//   CodeMirror 6   the cells' editors
//   uPlot          plots: canvas, made for long time series (500,000+ points stay smooth)
//   marked         the notebook's markdown text
//   acorn          parses a cell to share its top-level declarations with later cells
export { EditorView, basicSetup } from 'codemirror';
export { keymap } from '@codemirror/view';
export { Prec } from '@codemirror/state';
export { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
export { default as uPlot } from 'uplot';
export { marked } from 'marked';
export { parse as parseJs } from 'acorn';
// @viz-js/viz (Graphviz compiled to wasm, for the package's visualize()) is built as its
// own module, www/build/viz.js, which the page's import map names `@viz-js/viz`.
