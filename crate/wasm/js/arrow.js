// Apache Arrow in and out: computed Tables and Columns as Arrow tables (`toArrow`, a
// method every computed Table and Column carries), and Arrow tables as lazy frames
// (`client.dataframe.fromArrow`). `apache-arrow` is an optional peer dependency the
// page hands over once with `useArrow(arrow)`: the package never imports it itself, so a
// bundler does not need it unless it is used.
//
//   dtype     Arrow                         missing
//   float64   Float64 (the same memory)     NaN, a value (as pandas)
//   int64     Int64
//   bool      Bool                          null
//   string    Utf8                          null
//   datetime  Timestamp[ms]                 null

let arrowModule = null;

/**
 * Registers the `apache-arrow` module (`import * as arrow from 'apache-arrow'`) for
 * `toArrow`. `fromArrow` reads Arrow tables without it.
 */
export function useArrow(arrow) {
  if (!arrow || typeof arrow.makeVector !== 'function' || typeof arrow.Table !== 'function') {
    throw new TypeError("useArrow: pass the apache-arrow module (import * as arrow from 'apache-arrow')");
  }
  arrowModule = arrow;
}

function arrow() {
  if (!arrowModule) {
    throw new Error("toArrow needs Apache Arrow: import * as arrow from 'apache-arrow' and call useArrow(arrow) once");
  }
  return arrowModule;
}

/** One computed column's values (see `Values`) as an Arrow vector. */
function vectorOf(A, dtype, values) {
  const missing = (x) => (Number.isNaN(x) ? null : x);
  switch (dtype) {
    case 'float64':
      return A.makeVector(values);
    case 'int64':
      return A.makeVector(BigInt64Array.from(values, (x) => BigInt(x)));
    case 'bool':
      return A.vectorFromArray(Array.from(values, (x) => (Number.isNaN(x) ? null : x === 1)), new A.Bool());
    case 'datetime':
      return A.vectorFromArray(Array.from(values, missing), new A.TimestampMillisecond());
    default:
      return A.vectorFromArray(values, new A.Utf8());
  }
}

/** A computed Table as an Arrow table: its index (if any) first, as `index`, as `reset_index()`. */
function tableToArrow() {
  const A = arrow();
  const columns = {};
  if (this.index) columns.index = vectorOf(A, this.indexDtype, this.index);
  for (const c of this.columns) columns[c] = vectorOf(A, this.dtypes[c], this.data[c]);
  return new A.Table(columns);
}

/** A computed Column as an Arrow table: its index (if any), then its values. */
function columnToArrow() {
  const A = arrow();
  const columns = {};
  if (this.index) columns.index = vectorOf(A, this.indexDtype, this.index);
  columns[this.name] = vectorOf(A, this.dtype, this.values);
  return new A.Table(columns);
}

const isTable = (v) => v && typeof v === 'object' && Array.isArray(v.columns) && v.data && typeof v.length === 'number';
const isColumn = (v) => v && typeof v === 'object' && 'values' in v && 'dtype' in v && 'name' in v;

/** Gives computed Tables and Columns among `results` their `toArrow` method (not enumerable). */
export function withArrow(results) {
  for (const r of results) {
    const method = isTable(r) ? tableToArrow : isColumn(r) ? columnToArrow : null;
    if (method) Object.defineProperty(r, 'toArrow', { value: method, enumerable: false, configurable: true });
  }
  return results;
}

// Arrow's type ids (arrow.Type), spelled here so reading needs no module.
const TYPE = { Int: 2, Float: 3, Utf8: 5, Bool: 6, Date: 8, Timestamp: 10, LargeUtf8: 20, Dictionary: -1 };

/**
 * An Arrow table's columns as `fromColumns` takes them: `{columns, dtypes}`. Floats
 * without nulls keep their memory (one chunk); ints without nulls are int64, with nulls
 * float64 (as pandas reads them); dates and timestamps of any unit are datetimes (ms).
 */
export function columnsOfArrow(table) {
  if (!table || !table.schema || typeof table.getChild !== 'function') {
    throw new TypeError('fromArrow: expected an Apache Arrow Table');
  }
  const columns = {};
  const dtypes = {};
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name);
    let type = field.type;
    const id = type.typeId === TYPE.Dictionary ? type.dictionary.typeId : type.typeId;
    const nulls = v.nullCount > 0;
    switch (id) {
      case TYPE.Float:
        columns[field.name] = nulls ? Float64Array.from(v, (x) => x ?? NaN) : v.data.length === 1 && v.type.precision === 2 ? v.toArray() : Float64Array.from(v);
        dtypes[field.name] = 'float64';
        break;
      case TYPE.Int:
        columns[field.name] = Float64Array.from(v, (x) => (x === null ? NaN : Number(x)));
        dtypes[field.name] = nulls ? 'float64' : 'int64';
        break;
      case TYPE.Bool:
        columns[field.name] = Array.from(v);
        dtypes[field.name] = 'bool';
        break;
      case TYPE.Utf8:
      case TYPE.LargeUtf8:
        columns[field.name] = Array.from(v);
        dtypes[field.name] = 'string';
        break;
      case TYPE.Date:
      case TYPE.Timestamp:
        columns[field.name] = Float64Array.from(v, (x) => (x === null ? NaN : Number(x)));
        dtypes[field.name] = 'datetime';
        break;
      default:
        type = String(type);
        throw new TypeError(`fromArrow: column ${field.name} is ${type}, which daskling has no dtype for (float, int, bool, utf8, date, timestamp)`);
    }
  }
  return { columns, dtypes };
}
