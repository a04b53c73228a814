//! Dataframe kernels: columnar partitions, CSV parsing, dates and times, and the
//! workshop's sample data.

pub mod across;
pub mod bins;
mod blocks;
pub mod column;
pub mod cond;
pub mod convert;
pub mod csv;
pub mod datetime;
pub(crate) mod describe;
pub mod dt;
pub mod frame_bytes;
pub mod group_rows;
pub mod groupby;
pub mod index;
pub mod kernel;
pub(crate) mod keys;
pub mod map;
pub mod merge;
pub mod ops;
pub mod parquet;
pub(crate) mod partials;
mod pushdown;
pub mod rows;
pub mod sample;
pub mod scan;
pub mod sort;
pub mod source;
pub mod strings;
pub mod time_window;
mod values;
pub mod write;
pub mod write_csv;

pub use column::{Column, Dtype, Frame};
