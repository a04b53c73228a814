// What every lazy value shares: compute, its task graph as data, DOT or a picture. (The
// operations of each class are generated from the operation tables: ops.js.)

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
