//! emulator layer.
