//! Dataframe kernels: dates and times, and the workshop's sample data.

pub mod datetime;
pub mod sample;
