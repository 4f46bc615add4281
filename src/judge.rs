//! Judging: attaches annotations to widenings and decides each finding's status.
