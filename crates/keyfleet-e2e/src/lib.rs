//! keyfleet-e2e holds no library code: its `tests/` drive the real server with the official `bw`
//! CLI and the Rust client, and its `benches/` measure sync and write throughput.
