//! Report emitters: each is a pure function of a `judge::Report`.
