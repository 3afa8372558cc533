//! survkit: survival analysis that reproduces R's `survival` and `cmprsk`, for a command line and
//! for a private in-browser calculator.
//!
//! One engine, two front ends. The engine ([`data`], [`estimate`], [`analysis`], [`report`]) knows
//! no platform: it takes CSV text and a [`Request`] and returns a [`Report`] whose JSON is the same
//! for the CLI (`src/bin/survkit.rs`) and the page (`src/wasm.rs`).
//!
//! ```
//! use survkit::{analyze_text, FileRequest};
//! let request = FileRequest::from_json(r#"{"analysis": "km", "time": "time", "event": "status"}"#).unwrap();
//! let report = analyze_text("time,status\n1,1\n2,0\n3,1\n", &request).unwrap();
//! assert!(report.to_json().contains("\"analysis\": \"km\""));
//! ```

pub mod analysis;
pub mod data;
pub mod error;
pub mod estimate;
pub mod plot;
pub mod report;
pub mod steps;
#[cfg(all(feature = "web", target_arch = "wasm32"))]
pub mod wasm;

pub use analysis::{
    analyze_bytes, analyze_table, analyze_text, FileRequest, KmRequest, LogRankRequest, ReadSettings, Request,
};
pub use error::Error;
pub use report::Report;
