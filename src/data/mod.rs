//! From CSV text to what estimators take: typed columns, then survival frames.

mod column;
mod dates;
mod derived;
mod design;
mod encoding;
mod endpoints;
mod event;
mod frame;
mod number;
mod table;

pub use column::{compare_labels, Column, ColumnData, ColumnKind, Factor, MISSING_CODE};
pub use dates::{date_column, date_order, DateOrder, Day};
pub use derived::cut_column;
pub use design::{
    check_group_count, check_group_limit, complete_rows, lookup_columns, Comparison, Covariate, Design, DesignSpec,
    ModelFrame, ModelSpec, MAX_COVARIATE_LEVELS, MAX_COVARIATE_MAGNITUDE, MAX_GROUPS, MAX_GROUPS_COMPARED_IN_PAIRS,
};
pub use encoding::{decode_bytes, DecodedText, TextEncoding};
pub use endpoints::{
    CompetingCauses, DateEndpoint, Derived, TimeToEvent, TimeToExposure, TimeUnit, DAYS_PER_MONTH, DAYS_PER_YEAR,
};
pub use event::{Causes, EventCoding, EventReading};
pub use frame::{FrameSpec, SurvivalFrame};
pub use number::{format_number, parse_number, DecimalMark};
pub use table::{detect_delimiter, ReadOptions, Table, DEFAULT_MISSING, MAX_COLUMNS, PREVIEW_ROWS};
