//! The projection pushdown's side of dataframe tasks: which columns a task reads of its
//! input, a parse narrowed to some columns, and the bytes a narrowed parse's read input
//! should fetch (see `Graph::into_pruned` in the graph crate).

use std::sync::Arc;

use super::csv::Schema;
use super::kernel::FrameKernel;
use daskling_core::Result;

/// The positions of `names` a parse narrowed to `columns` keeps: those in `columns`, or
/// the first when none is (a row count still needs one column).
pub(super) fn kept<'a>(
    names: impl ExactSizeIterator<Item = &'a str>,
    columns: &[String],
) -> Arc<[usize]> {
    let any = names.len() > 0;
    let mut idx: Vec<usize> = names
        .enumerate()
        .filter(|(_, n)| columns.iter().any(|c| c == n))
        .map(|(i, _)| i)
        .collect();
    if idx.is_empty() && any {
        idx.push(0);
    }
    idx.into()
}

impl FrameKernel {
    /// The columns this task reads of its first input frame, when it reads only some
    /// (`None`: it may use any).
    pub fn columns_used(&self) -> Option<Vec<String>> {
        match self {
            FrameKernel::Col(n) => Some(vec![n.clone()]),
            FrameKernel::Select(ns) => Some(ns.clone()),
            FrameKernel::RowCount => Some(vec![]),
            FrameKernel::DescribePartial(cols) => Some(cols.clone()),
            FrameKernel::AcrossPartial(_, cols) => Some(cols.to_vec()),
            _ => None,
        }
    }

    /// This parse reading only `columns` (at least one, to count rows); `None` when
    /// this is not a parse task.
    pub fn narrow(&self, columns: &[String]) -> Option<FrameKernel> {
        let pick = |schema: &Schema| kept(schema.names.iter().map(String::as_str), columns);
        match self {
            FrameKernel::ParseFiles {
                files,
                schema,
                options,
                ..
            } => Some(FrameKernel::ParseFiles {
                files: files.clone(),
                keep: Some(pick(schema)),
                schema: schema.clone(),
                options: options.clone(),
            }),
            FrameKernel::ParseBlock {
                file,
                index,
                last,
                schema,
                options,
                ..
            } => Some(FrameKernel::ParseBlock {
                file: file.clone(),
                index: *index,
                last: *last,
                keep: Some(pick(schema)),
                schema: schema.clone(),
                options: options.clone(),
            }),
            FrameKernel::ParseParquet(p) => Some(FrameKernel::ParseParquet(p.narrow(columns))),
            _ => None,
        }
    }

    /// The byte ranges this task's read input should read, when they depend on the
    /// task's own parameters (a Parquet parse reads only its columns' chunks).
    pub fn reads(&self) -> Option<Result<Vec<super::source::Part>>> {
        match self {
            FrameKernel::ParseParquet(p) => Some(p.parts()),
            _ => None,
        }
    }
}
