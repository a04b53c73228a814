// Runs the notebook's cells in one shared scope, as a Jupyter kernel does: top-level
// declarations of a cell (`const`, `let`, `var`, `function`, `class`) become variables
// of the scope that later cells see, `await` works at the top level, and the value of
// the last expression statement is the cell's result.
import { parseJs } from '../build/vendor.js';

const AsyncFunction = (async () => {}).constructor;

/** Names bound by a declaration's pattern (`x`, `{a, b: [c]}`, `...rest`). */
function patternNames(p, out) {
  switch (p?.type) {
    case 'Identifier':
      out.add(p.name);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out);
      break;
    case 'ArrayPattern':
      for (const e of p.elements) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(p.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left, out);
      break;
  }
}

/**
 * Rewrites a cell into the body of a function run `with (scope)`: declarations become
 * assignments to the scope, function declarations are hoisted, the last expression
 * statement is returned. Returns `{body, names}`; a syntax error throws with its
 * line and column.
 */
export function compileCell(code) {
  let ast;
  try {
    ast = parseJs(code, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, locations: true });
  } catch (e) {
    const where = e.loc ? ` (line ${e.loc.line}, column ${e.loc.column + 1})` : '';
    throw new SyntaxError(`${e.message.replace(/ \(\d+:\d+\)$/, '')}${where}`, { cause: e });
  }
  const names = new Set();
  const hoisted = [];
  const edits = [];
  const src = (n) => code.slice(n.start, n.end);
  for (const node of ast.body) {
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) patternNames(d.id, names);
      const parts = node.declarations.map((d) => `${src(d.id)} = ${d.init ? src(d.init) : 'undefined'}`);
      edits.push([node.start, node.end, `(${parts.join(', ')});`]);
    } else if (node.type === 'FunctionDeclaration') {
      names.add(node.id.name);
      hoisted.push(`${node.id.name} = ${src(node)};`);
      edits.push([node.start, node.end, '']);
    } else if (node.type === 'ClassDeclaration') {
      names.add(node.id.name);
      edits.push([node.start, node.end, `${node.id.name} = ${src(node)};`]);
    }
  }
  const last = ast.body.at(-1);
  if (last?.type === 'ExpressionStatement') edits.push([last.start, last.end, `return (${src(last.expression)});`]);
  let body = code;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) {
    body = body.slice(0, start) + text + body.slice(end);
  }
  return { body: `${hoisted.join('\n')}\n${body}`, names };
}

/** A scope shared by cells; `globals` are its initial variables (client, helpers). */
export class Scope {
  constructor(globals) {
    this.vars = { ...globals };
  }

  /** Runs a cell's code; resolves to its result. */
  async run(code) {
    const { body, names } = compileCell(code);
    for (const n of names) if (!(n in this.vars)) this.vars[n] = undefined;
    // `with` needs sloppy mode, which functions made by the constructor have.
    const fn = new AsyncFunction('__scope', `with (__scope) {\n${body}\n}`);
    return fn(this.vars);
  }
}
