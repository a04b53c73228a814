// What every lazy value shares (compute, its task graph as data, DOT or a picture), and
// the operations arrays and series share.

/** What every lazy value can do: compute, and show its task graph. */
export class Lazy {
  #client;
  constructor(client) {
    this.#client = client;
  }
  get client() {
    return this.#client;
  }
  /** Computes this value. `onProgress({done, total, running})` is called while it runs. */
  async compute(options = {}) {
    const [result] = await this.#client.compute(this, options);
    return result;
  }
  /**
   * The Python source of a script computing this value on a dask cluster
   * (`{address, sources}`; see `client.toDask`).
   */
  toDask(options) {
    return this.#client.toDask(this, options ?? {});
  }
  /** The optimized task graph: `{nodes: [{id, label, kind}], edges: [[from, to]]}`. */
  async graph() {
    return this.#client._rpc.callWith('graph', [this]);
  }
  /** The optimized task graph in Graphviz DOT. */
  async toDot() {
    return this.#client._rpc.callWith('toDot', [this]);
  }
  /**
   * The optimized task graph drawn by Graphviz (the `@viz-js/viz` package, Graphviz
   * compiled to wasm, loaded on first use) as an SVG string, as dask's `visualize()`.
   */
  async visualize() {
    const dot = await this.toDot();
    let viz;
    try {
      viz = await import('@viz-js/viz');
    } catch (e) {
      throw new Error(
        `visualize() draws with the @viz-js/viz package, which could not be loaded (${e.message}); ` +
          'without a bundler, map it in an import map',
        { cause: e },
      );
    }
    return (await viz.instance()).renderString(dot, { format: 'svg' });
  }
}

/**
 * Arrays and series: the arithmetic, comparisons and reductions both have, by the names
 * of the kernels' operation table (`operations()`). Elementwise with numpy's
 * broadcasting for arrays, row by row for series; each subclass gives `_binary(op,
 * other)` and `_reduce(op, opts)`.
 */
export class Collection extends Lazy {
  /** `this + other`; `other` a number or a collection of the same kind. */
  add(other) {
    return this._binary('add', other);
  }
  /** `this - other`; `other` a number or a collection of the same kind. */
  sub(other) {
    return this._binary('sub', other);
  }
  /** `this * other`; `other` a number or a collection of the same kind. */
  mul(other) {
    return this._binary('mul', other);
  }
  /** `this / other`; `other` a number or a collection of the same kind. */
  div(other) {
    return this._binary('div', other);
  }
  /** `this ** other`; `other` a number or a collection of the same kind. */
  pow(other) {
    return this._binary('pow', other);
  }
  /** `this > other` (1 or 0; bool for series); `other` a number or a collection of the same kind. */
  gt(other) {
    return this._binary('gt', other);
  }
  /** `this >= other`; `other` a number or a collection of the same kind. */
  ge(other) {
    return this._binary('ge', other);
  }
  /** `this < other`; `other` a number or a collection of the same kind. */
  lt(other) {
    return this._binary('lt', other);
  }
  /** `this <= other`; `other` a number or a collection of the same kind. */
  le(other) {
    return this._binary('le', other);
  }
  /** `this == other`; `other` a number or a collection of the same kind. */
  eq(other) {
    return this._binary('eq', other);
  }
  /** `this != other`; `other` a number or a collection of the same kind. */
  ne(other) {
    return this._binary('ne', other);
  }
  /** The sum: a lazy array or Scalar (the options of `_reduce`). */
  sum(opts) {
    return this._reduce('sum', opts);
  }
  /** The mean: a lazy array or Scalar (the options of `_reduce`). */
  mean(opts) {
    return this._reduce('mean', opts);
  }
  /** The smallest value: a lazy array or Scalar (the options of `_reduce`). */
  min(opts) {
    return this._reduce('min', opts);
  }
  /** The largest value: a lazy array or Scalar (the options of `_reduce`). */
  max(opts) {
    return this._reduce('max', opts);
  }
  /** The standard deviation (`{ddof}`): a lazy array or Scalar (the options of `_reduce`). */
  std(opts) {
    return this._reduce('std', opts);
  }
  /** The variance (`{ddof}`): a lazy array or Scalar (the options of `_reduce`). */
  var(opts) {
    return this._reduce('var', opts);
  }
}
