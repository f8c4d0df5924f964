//! Identity: accounts (registration, profile, keys, password and KDF changes, API keys),
//! login grants and bearer authentication, tokens, password hashing, throttling, and two-step
//! login (its own folder), devices and login with a device (`auth_requests`, its own folder). Each file's store needs are in `store`.
//!
//! Dependencies run one way: `login` uses `two_factor`, which uses `caller`, `throttling`,
//! `accounts` and `tokens`; nothing here but `login` names `login`.

pub mod accounts;
pub mod auth_requests;
pub mod caller;
pub mod devices;
pub mod login;
pub mod password;
pub mod rotation;
pub mod store;
pub mod throttling;
pub mod tokens;
pub mod two_factor;
