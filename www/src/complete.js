// Completions in the cells' editors, as Jupyter's: after `name.` (a path of names) the
// live value of that path in the notebook's scope is looked at, and its methods and
// properties offered — `df.` lists a DataFrame's, `client.dataframe.` the module's. The
// methods the package generates from its operation tables carry their parameters and
// documentation from those tables (`operations()`), so a new row of a table is a new
// completion with its text. A bare word completes to the scope's names.

/** `{'DataFrame.sum': {detail, info}}` from the operation tables. */
export function docsOf(table) {
  const docs = new Map();
  for (const f of table.families) {
    for (const m of f.methods) {
      const call = f.shape === 'getter' ? '' : `(${m.params})`;
      const info = f.note ? `${m.doc} ${f.note}` : m.doc;
      docs.set(`${f.class}.${m.name}`, { detail: `${call} → ${f.returns}`, info });
    }
  }
  return docs;
}

/** The class name a generated base (`DataFrameOps`) stands for. */
const classOf = (proto) => proto.constructor?.name?.replace(/Ops$/, '') ?? '';

/** The methods and properties of `value` (its own and its prototypes'), public ones only. */
export function members(value, docs) {
  const out = new Map();
  const holders = [];
  for (let o = value; o && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) holders.push(o);
  const cls = holders.length > 1 ? classOf(holders[1]) : '';
  for (const o of holders) {
    const owner = o === value ? cls : classOf(o);
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === 'constructor' || name.startsWith('_') || out.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      const method = typeof d.value === 'function';
      const doc = docs.get(`${owner}.${name}`) ?? docs.get(`${cls}.${name}`);
      out.set(name, {
        label: name,
        type: method ? 'method' : 'property',
        detail: doc?.detail ?? (method ? '()' : ''),
        info: doc?.info,
        boost: doc ? 1 : 0,
      });
    }
  }
  return [...out.values()];
}

/** The value at `path` (`['client', 'dataframe']`) in `vars`, or undefined: properties
 * are read (the package's getters give metadata at once), no method is called. */
function lookup(vars, path) {
  let v = vars[path[0]];
  for (const p of path.slice(1)) {
    if (v == null) return undefined;
    v = v[p];
  }
  return v;
}

/**
 * A CodeMirror completion source over `scope` (the notebook's `Scope`) with the
 * operation tables' `docs` (see `docsOf`).
 */
export function completionSource(scope, docs) {
  return (context) => {
    const dotted = context.matchBefore(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\.[\w$]*$/);
    if (dotted) {
      const at = dotted.text.lastIndexOf('.');
      const value = lookup(scope.vars, dotted.text.slice(0, at).split('.'));
      if (value == null || (typeof value !== 'object' && typeof value !== 'function')) return null;
      return { from: dotted.from + at + 1, options: members(value, docs), validFor: /^[\w$]*$/ };
    }
    const word = context.matchBefore(/[A-Za-z_$][\w$]*$/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const options = Object.keys(scope.vars).map((label) => ({ label, type: 'variable' }));
    return { from: word.from, options, validFor: /^[\w$]*$/ };
  };
}
