//! Logs as JSON lines on stderr, the format go-plugin turns into hclog entries
//! at the right level (`@level`, `@message`, `@timestamp`, `@module`), so that
//! `TF_LOG=debug` shows them with Terraform's own.
//!
//! Log lines must never contain secrets: callers log ids, operations and
//! statuses, never values of sensitive attributes or tokens.

use std::io::Write as _;

use log::{Level, LevelFilter, Log, Metadata, Record};

/// The module name shown by Terraform next to each line.
const MODULE: &str = "provider.terraform-provider-influxdb3";

/// Installs the JSON logger for the process, at the level named by
/// `TF_LOG_PROVIDER`, else `TF_LOG`, else `warn`. Safe to call more than once.
pub fn init_from_env() {
    let level = level_from_env(|name| std::env::var(name).ok());
    if log::set_boxed_logger(Box::new(JsonStderrLogger)).is_ok() {
        log::set_max_level(level);
    }
}

fn level_from_env(get: impl Fn(&str) -> Option<String>) -> LevelFilter {
    let named = get("TF_LOG_PROVIDER")
        .filter(|v| !v.is_empty())
        .or_else(|| get("TF_LOG"));
    match named
        .map(|value| value.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("trace") | Some("json") => LevelFilter::Trace,
        Some("debug") => LevelFilter::Debug,
        Some("info") => LevelFilter::Info,
        Some("error") => LevelFilter::Error,
        Some("off") => LevelFilter::Off,
        _ => LevelFilter::Warn,
    }
}

/// The logger behind [`init_from_env`].
#[derive(Debug)]
struct JsonStderrLogger;

impl Log for JsonStderrLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format_line(record.level(), &record.args().to_string(), record.target());
        // One write per line so concurrent lines do not interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

fn format_line(level: Level, message: &str, target: &str) -> String {
    let level = match level {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Info => "info",
        Level::Debug => "debug",
        Level::Trace => "trace",
    };
    let line = serde_json::json!({
        "@level": level,
        "@message": message,
        "@module": MODULE,
        "@timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "target": target,
    });
    format!("{line}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_follows_provider_variable_first() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(level_from_env(env(&[])), LevelFilter::Warn);
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "DEBUG")])),
            LevelFilter::Debug
        );
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "trace"), ("TF_LOG_PROVIDER", "error")])),
            LevelFilter::Error
        );
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "json")])),
            LevelFilter::Trace
        );
    }

    #[test]
    fn line_is_one_json_object_with_hclog_keys() {
        let line = format_line(Level::Debug, "said \"hi\"\nthere", "x");
        assert!(line.ends_with('\n'));
        assert_eq!(line.matches('\n').count(), 1);
        let parsed: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        assert_eq!(parsed["@level"], "debug");
        assert_eq!(parsed["@message"], "said \"hi\"\nthere");
        assert!(parsed["@timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
