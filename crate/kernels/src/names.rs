//! Name tables: every enum the API names (operations, aggregations, dtypes, accessor
//! fields) is declared with [`name_table!`](crate::name_table), so that its variants, their order
//! ([`NameTable::ALL`]), their API names, the documentation of each and the wire
//! spelling (serde) all come from one list. The JS methods, `index.d.ts` and the
//! operation reference of `docs/API.md` are generated from these tables
//! (`daskling::operations`), so a row added here appears everywhere.
//!
//! A leaf module: it uses nothing else of the crate.

/// An enum whose variants each have one API name and one line of documentation.
///
/// ```
/// use daskling_kernels::names::NameTable;
/// use daskling_kernels::array::UnaryFn;
/// assert_eq!(UnaryFn::parse("sqrt"), Some(UnaryFn::Sqrt));
/// assert_eq!(UnaryFn::Sqrt.name(), "sqrt");
/// assert!(UnaryFn::ALL.contains(&UnaryFn::Sqrt));
/// ```
pub trait NameTable: Sized + Copy + PartialEq + std::fmt::Debug + 'static {
    /// The table's name in `operations()` and in generated code (`"UnaryFn"`).
    const TABLE: &'static str;
    /// Every variant, in the order the API lists them.
    const ALL: &'static [Self];
    /// The API name (a JS method, a pandas/numpy name, the wire spelling).
    fn name(self) -> &'static str;
    /// One line saying what it is (the rustdoc of the variant, `index.d.ts`, `docs/API.md`).
    fn doc(self) -> &'static str;
    /// The variant of an API name, or of one of its aliases (`"weekday"` for `dayofweek`).
    fn parse(name: &str) -> Option<Self>;
}

/// Declares an enum from a table of rows `Variant = "name" (| "alias")* : "doc"`: the
/// enum (with serde spelling each variant by its name and accepting its aliases), the
/// inherent `ALL`, `name`, `doc` and `parse`, and its [`NameTable`] impl. The variant
/// list and `ALL` are the same list, so a variant cannot be missing from `ALL`.
///
/// ```
/// daskling_kernels::name_table! {
///     /// A colour.
///     pub enum Colour {
///         Red = "red" | "rouge": "The colour of blood.",
///         Blue = "blue": "The colour of the sky.",
///     }
/// }
/// assert_eq!(Colour::ALL, &[Colour::Red, Colour::Blue]);
/// assert_eq!(Colour::parse("rouge"), Some(Colour::Red));
/// assert_eq!(Colour::Blue.doc(), "The colour of the sky.");
/// assert_eq!(serde_json::to_string(&Colour::Blue).unwrap(), "\"blue\"");
/// ```
#[macro_export]
macro_rules! name_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $E:ident {
            $( $V:ident = $name:literal $(| $alias:literal)* : $doc:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $E {
            $(
                #[doc = $doc]
                #[serde(rename = $name $(, alias = $alias)*)]
                $V,
            )+
        }

        impl $E {
            /// Every variant, in the order the API lists them (the table's rows).
            pub const ALL: &'static [$E] = &[$($E::$V),+];

            /// The API name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($E::$V => $name,)+
                }
            }

            /// One line of documentation.
            pub const fn doc(self) -> &'static str {
                match self {
                    $($E::$V => $doc,)+
                }
            }

            /// The graph label of one step of a tree reduction of this row
            /// (`"sum-chunk"`, `"sum-combine"`, `"sum-aggregate"`).
            pub const fn step(self, step: $crate::names::Step) -> &'static str {
                match (self, step) {
                    $(
                        ($E::$V, $crate::names::Step::Chunk) => concat!($name, "-chunk"),
                        ($E::$V, $crate::names::Step::Combine) => concat!($name, "-combine"),
                        ($E::$V, $crate::names::Step::Aggregate) => concat!($name, "-aggregate"),
                    )+
                }
            }

            /// The variant named `name` (or one of its aliases).
            pub fn parse(name: &str) -> Option<$E> {
                match name {
                    $($name $(| $alias)* => Some($E::$V),)+
                    _ => None,
                }
            }
        }

        impl $crate::names::NameTable for $E {
            const TABLE: &'static str = stringify!($E);
            const ALL: &'static [$E] = $E::ALL;
            fn name(self) -> &'static str {
                $E::name(self)
            }
            fn doc(self) -> &'static str {
                $E::doc(self)
            }
            fn parse(name: &str) -> Option<$E> {
                $E::parse(name)
            }
        }

        impl std::fmt::Display for $E {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// The three steps of a tree reduction, as dask names its tasks (`sum-chunk`,
/// `sum-combine`, `sum-aggregate`); every table row has a label for each
/// (`ReduceOp::Sum.step(Step::Chunk)`).
///
/// ```
/// use daskling_kernels::{array::ReduceOp, names::Step};
/// assert_eq!(ReduceOp::Var.step(Step::Aggregate), "var-aggregate");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Reduces one block or partition.
    Chunk,
    /// Merges partials.
    Combine,
    /// Merges the last partials and finishes.
    Aggregate,
}

/// Rows `{name, doc}` of a table, for `operations()` and the generated files.
///
/// ```
/// use daskling_kernels::array::ReduceOp;
/// let rows = daskling_kernels::names::rows::<ReduceOp>();
/// assert_eq!(rows[0].name, "sum");
/// ```
pub fn rows<T: NameTable>() -> Vec<Row> {
    T::ALL
        .iter()
        .map(|v| Row {
            name: v.name(),
            doc: v.doc(),
        })
        .collect()
}

/// One row of a name table, as `operations()` reports it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The API name.
    pub name: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
}

/// The variant named `name`, or an error listing the names there are.
///
/// ```
/// use daskling_kernels::array::UnaryFn;
/// use daskling_kernels::names::lookup;
/// assert_eq!(lookup::<UnaryFn>("sqrt").unwrap(), UnaryFn::Sqrt);
/// let e = lookup::<UnaryFn>("sqrtt").unwrap_err().to_string();
/// assert!(e.contains("unknown UnaryFn 'sqrtt'") && e.contains("sqrt"), "{e}");
/// ```
pub fn lookup<T: NameTable>(name: &str) -> daskling_core::Result<T> {
    T::parse(name).ok_or_else(|| {
        let names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
        daskling_core::Error::invalid(format!(
            "unknown {} '{name}' (one of: {})",
            T::TABLE,
            names.join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataframe::Dtype;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn lookup_names_the_table_and_its_rows_when_unknown() {
        let e = lookup::<Dtype>("complex").unwrap_err().to_string();
        assert!(e.contains("unknown Dtype 'complex'"), "{e}");
        for r in rows::<Dtype>() {
            assert!(e.contains(r.name), "{e} lists {}", r.name);
        }
        assert_eq!(lookup::<Dtype>("Int64").unwrap(), Dtype::Int64);
    }

    #[test]
    fn step_labels_are_name_and_step() {
        use crate::dataframe::ops::SeriesReduce;
        assert_eq!(SeriesReduce::Nunique.step(Step::Chunk), "nunique-chunk");
        assert_eq!(SeriesReduce::Std.step(Step::Combine), "std-combine");
    }
}
