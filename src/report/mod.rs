//! Writers of finished results (to be built).
