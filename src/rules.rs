//! Stable rule ids and documentation for each widening kind.
