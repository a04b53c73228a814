//! The dataframe operations an expression node can be: [`DfOp`], generic over its
//! inputs (expressions when built, row numbers on the wire), and the [`Kind`] of value
//! each gives.

use serde::{Deserialize, Serialize};

use super::memory::FrameData;
use super::partitions::PartitionFn;
use super::{Df, SourceRef};
use crate::kernels::array::{BinaryOp, UnaryFn};
use crate::kernels::dataframe::cond::Cond;
use crate::kernels::dataframe::csv::{CsvOptions, Schema};
use crate::kernels::dataframe::dt::{DtField, RoundMode};
use crate::kernels::dataframe::groupby::GroupAgg;
use crate::kernels::dataframe::map::ColumnMap;
use crate::kernels::dataframe::merge::MergeSpec;
pub use crate::kernels::dataframe::ops::LogicalOp;
use crate::kernels::dataframe::ops::SeriesReduce;
use crate::kernels::dataframe::rows::RowsOp;
use crate::kernels::dataframe::scan::ScanOp;
use crate::kernels::dataframe::sort::SortBy;
use crate::kernels::dataframe::strings::StrMap;
use crate::kernels::float;

/// The operations dataframe expressions are built from; `A` holds inputs (a [`Df`] in
/// memory, a row number in the serialized form).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum DfOp<A = Df> {
    /// CSV files: one partition per file, or per block of a file over `blocksize`.
    ReadCsv {
        /// The files, in order.
        sources: Vec<SourceRef>,
        /// Parse options.
        options: CsvOptions,
        /// Column names and dtypes.
        schema: Schema,
        /// Bytes per partition of a large file.
        blocksize: u64,
    },
    /// Parquet files: a partition per run of row groups.
    ReadParquet {
        /// The files, in order.
        sources: Vec<SourceRef>,
        /// Their footers, decoded.
        files: super::parquet::ParquetFiles,
        /// Row groups whose statistics fail these (any of the conjunctions) are left out.
        filters: Vec<Vec<crate::kernels::dataframe::parquet::stats::Predicate>>,
        /// Compressed bytes per partition.
        blocksize: u64,
    },
    /// A frame written to files (`toCsv`, `toParquet`): one value, the files' bytes.
    Write {
        /// The frame.
        input: A,
        /// Format and files.
        options: super::write::WriteOptions,
    },
    /// Some columns of a frame.
    Select {
        /// The input.
        input: A,
        /// The columns kept, in order.
        columns: Vec<String>,
    },
    /// Rows of a frame where a bool series (of the same frame) is true.
    Filter {
        /// The input.
        input: A,
        /// A bool series of the same partitions.
        mask: A,
    },
    /// A frame with columns added or replaced.
    Assign {
        /// The input.
        input: A,
        /// The new (or replaced) columns.
        names: Vec<String>,
        /// The series assigned, one per name.
        values: Vec<A>,
    },
    /// One column of a frame.
    Col {
        /// The input.
        input: A,
        /// The column name.
        name: String,
    },
    /// Two series elementwise.
    Binary {
        /// The operation.
        op: BinaryOp,
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A series with a constant (`value op series` when `reflected`).
    Scalar {
        /// The operation.
        op: BinaryOp,
        /// The input.
        input: A,
        #[serde(with = "float")]
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
    /// A function of each value of a series (`abs`, `sqrt`, …).
    Unary {
        /// The function.
        f: UnaryFn,
        /// The input.
        input: A,
    },
    /// A function of each value with parameters (`fillna`, `round`, `astype`, …), of a
    /// series or of every column of a frame.
    Map {
        /// The input.
        input: A,
        /// The function and its parameters.
        f: ColumnMap,
    },
    /// A series along its rows (`shift`, `cumsum`, `rolling`): every partition with the
    /// context its neighbour leaves.
    Scan {
        /// The input series.
        input: A,
        /// The operation.
        op: ScanOp,
    },
    /// A `.str` function of a text series.
    Str {
        /// The input.
        input: A,
        /// The function and its parameters.
        f: StrMap,
    },
    /// Rows picked from the whole input (`nlargest`, `tail`, `unique`,
    /// `dropDuplicates`): one partition.
    Rows {
        /// The input.
        input: A,
        /// What is picked.
        op: RowsOp,
    },
    /// The same rows in `npartitions` partitions (`repartition`).
    Repartition {
        /// The input.
        input: A,
        /// Partitions of the result.
        npartitions: usize,
    },
    /// Frames (or series) stacked: the partitions of each input in order.
    Concat {
        /// The inputs.
        inputs: Vec<A>,
    },
    /// `where` / `mask`: a series' values kept or replaced by a condition.
    Where {
        /// The series.
        input: A,
        /// A bool series of the same rows.
        cond: A,
        /// The replacement series, if not a constant.
        other: Option<A>,
        /// Which values stay, and the constant replacement.
        c: Cond,
    },
    /// Two frames joined on key columns (`merge`).
    Merge {
        /// The left frame.
        left: A,
        /// The right frame.
        right: A,
        /// How, on which keys, with which suffixes.
        spec: MergeSpec,
        /// Whether to join every partition of one side with the whole other even when
        /// both have several (the smaller side gathered into one partition first).
        broadcast: bool,
    },
    /// In-memory columns (`fromColumns`) in `npartitions` even partitions.
    FromFrame {
        /// The columns, named by their content token.
        data: FrameData,
        /// Partitions.
        npartitions: usize,
    },
    /// A rolling window by time over a sorted datetime series (`rolling('30min', {on})`).
    RollTime {
        /// The values.
        input: A,
        /// The times (a datetime series of the same rows).
        on: A,
        /// The window as given (`'30min'`).
        freq: String,
        /// Width, aggregation and fewest values.
        window: crate::kernels::dataframe::time_window::TimeWindow,
    },
    /// Each row's group aggregate (`transform`).
    GroupTransform {
        /// The keys (a series, or a frame of key columns).
        by: A,
        /// The group aggregation (one partition).
        grouped: A,
    },
    /// The running aggregation within each group (`cumsum` etc. per group).
    GroupCum {
        /// The keys (a series, or a frame of key columns).
        by: A,
        /// The values.
        values: A,
        /// Which.
        agg: crate::kernels::dataframe::scan::CumAgg,
    },
    /// Every time bin between a grouped result's first and last (`resample`).
    FillBins {
        /// A result grouped by times floored to `freq`.
        input: A,
        /// The frequency as given (`'30min'`).
        freq: String,
        /// Its width in ms.
        step: i64,
        /// Per column: empty bins get 0 (sums, counts), else a missing value.
        zero: Vec<bool>,
    },
    /// A JavaScript function on every partition (`mapPartitions`).
    MapPartitions {
        /// The input.
        input: A,
        /// The function, its arguments and runner.
        func: PartitionFn,
        /// What it gives: a frame or a series.
        out: Kind,
        /// The declared columns.
        names: Vec<String>,
        /// Their dtypes.
        dtypes: Vec<crate::kernels::dataframe::Dtype>,
    },
    /// A global sort (`sortValues`): as many partitions as the input, in order.
    Sort {
        /// The input.
        input: A,
        /// The columns ordered by.
        by: SortBy,
    },
    /// Partitions computed earlier and kept in memory under the name `id` (`persist`).
    Stored {
        /// The persisted frame's name.
        id: String,
        /// What it was.
        meta: super::persist::StoredMeta,
        #[serde(skip)]
        /// The partitions, or a guard for them (not serialized).
        held: Option<crate::expr::stored::Held>,
    },
    /// `setIndex` and `loc`, and the divisions `setIndex` computes first.
    Index {
        /// The input.
        input: A,
        /// Which.
        op: super::index::IndexOp,
    },
    /// Boolean logic of series.
    Logical {
        /// The operation.
        op: LogicalOp,
        /// The left operand.
        left: A,
        /// The second operand (`None` for `not`).
        right: Option<A>,
    },
    /// A datetime field.
    DtField {
        /// The input.
        input: A,
        /// Which field.
        field: DtField,
    },
    /// Datetimes rounded to `freq` milliseconds.
    DtRound {
        /// The input.
        input: A,
        /// The frequency, in milliseconds.
        freq: i64,
        /// Round, floor or ceil.
        mode: RoundMode,
    },
    /// Datetimes as text (`dt.strftime`).
    DtFormat {
        /// The input.
        input: A,
        /// The format, C's directives (`%Y-%m-%d`).
        format: String,
    },
    /// A series reduced to a number.
    Reduce {
        /// The input.
        input: A,
        /// The reduction.
        reduce: SeriesReduce,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
    },
    /// Every column reduced (its numeric ones, but for `count` and `nunique`): a series
    /// indexed by column name.
    FrameReduce {
        /// The input frame.
        input: A,
        /// The reduction.
        reduce: SeriesReduce,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
    },
    /// Number of rows.
    Len {
        /// The input.
        input: A,
    },
    /// Group-by aggregation: `by` keys, one value series per aggregation; a series
    /// (one aggregation) or a frame, indexed by the sorted keys.
    GroupAgg {
        /// The group keys.
        by: A,
        /// The series aggregated.
        values: Vec<A>,
        /// The result's column names.
        names: Vec<String>,
        /// One aggregation per value series.
        aggs: Vec<GroupAgg>,
        #[serde(with = "float")]
        /// Delta degrees of freedom (`std`, `var`).
        ddof: f64,
        /// Sorted by count, largest first (`value_counts`), not by key.
        by_count_desc: bool,
        /// A frame (several aggregations) rather than one series.
        frame: bool,
    },
    /// count, mean, std, min, quartiles and max of the numeric columns.
    Describe {
        /// The input.
        input: A,
    },
    /// Two scalars.
    ScalarBinary {
        /// The operation.
        op: BinaryOp,
        /// The left operand.
        left: A,
        /// The right operand.
        right: A,
    },
    /// A scalar with a constant.
    ScalarConst {
        /// The operation.
        op: BinaryOp,
        /// The input.
        input: A,
        #[serde(with = "float")]
        /// The constant.
        value: f64,
        /// Whether the constant is the left operand (`c - x`).
        reflected: bool,
    },
}

crate::kernels::name_table! {
    /// What a dataframe expression gives.
    pub enum Kind {
        Frame = "frame": "A dataframe (named columns per partition).",
        Series = "series": "A series (one column per partition).",
        Scalar = "scalar": "One number.",
    }
}
