// `df.resample(freq, {on})`: rows in time bins by a datetime column, as pandas'
// `df.resample(freq, on=…)` — each aggregation a Series / DataFrame indexed by the bin
// starts, every bin from the first row's to the last's present (sums and counts 0 in
// an empty bin, other aggregations missing).

import { SeriesGroupByOps } from './ops.js';
import { DataFrame, Series } from './dataframe.js';

/** One column's bins: each aggregation a Series indexed by the bin starts. */
export class SeriesResampler extends SeriesGroupByOps {
  #frame;
  #on;
  #freq;
  #column;
  constructor(frame, on, freq, column) {
    super();
    this.#frame = frame;
    this.#on = on;
    this.#freq = freq;
    this.#column = column;
  }
  _agg(agg) {
    return new Series(this.#frame.client, this.#frame._handle().resampleColumn(this.#on, this.#freq, this.#column, agg));
  }
}

/** A frame's rows in bins of `freq` by the datetime column `on`. */
export class Resampler {
  #frame;
  #on;
  #freq;
  constructor(frame, freq, on) {
    if (typeof on !== 'string') throw new TypeError('resample: give the datetime column as {on: name}');
    this.#frame = frame;
    this.#on = on;
    this.#freq = freq;
  }
  /** One column's bins. */
  col(name) {
    this.#frame.col(name); // an unknown column throws here
    return new SeriesResampler(this.#frame, this.#on, this.#freq, name);
  }
  /** Rows per bin: a Series named `size` (0 for an empty bin). */
  size() {
    return new Series(this.#frame.client, this.#frame._handle().resampleSize(this.#on, this.#freq));
  }
  /** Several aggregations per bin: `{close: 'mean', volume: 'sum'}` (lists as groupby's `agg`). */
  agg(spec) {
    return new DataFrame(this.#frame.client, this.#frame._handle().resampleAgg(this.#on, this.#freq, spec));
  }
}
