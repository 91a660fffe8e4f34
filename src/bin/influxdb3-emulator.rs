//! `influxdb3-emulator`: the InfluxDB 3 management API served locally.
//!
//! Parses the command line, opens the state, binds, prints the ready line on stdout and
//! serves until SIGINT or SIGTERM. Everything else lives in
//! `influxdb3_provider::emulator`; `docs/emulator.md` is the user's guide.

use std::ffi::OsString;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use influxdb3_provider::emulator::{
    Config, DEFAULT_LISTEN_ADDR, EmulatorState, Flavor, ReadyLine, StartError, serve,
};
use uuid::Uuid;

const USAGE: &str = "\
influxdb3-emulator: the InfluxDB 3 management API (management tokens, databases, tables,
database tokens), or the /api/v3 API of InfluxDB 3 Core and Enterprise (tokens, databases),
served locally

Usage: influxdb3-emulator [OPTIONS]

Options:
  --listen ADDR       address to listen on [default: 127.0.0.1:8181]; port 0 picks a free one
  --account-id UUID   account id [default: from the state file, else random]
  --cluster-id UUID   cluster id [default: from the state file, else random]
  --token TOKEN       bootstrap (admin) management token [default: from the state file, else random]
  --state-file PATH   persist all state in PATH (created when missing) [default: memory only]
  --clustered         serve the Clustered form (no /accounts/{accountId}[/clusters/{clusterId}] prefix)
  --product PRODUCT   cloud-dedicated (default), clustered, core or enterprise; core and
                      enterprise serve the self-hosted /api/v3 API (tokens, databases)
                      with --token as the operator (admin) token
  -h, --help          print this help and exit

When ready it prints one JSON line on stdout:
  {\"url\":\"http://127.0.0.1:PORT\",\"account_id\":\"...\",\"cluster_id\":\"...\",\"token\":\"...\",
   \"console_url\":\"http://127.0.0.1:PORT/console\"}
The console (sign in with the token) is at console_url (not for core or enterprise).
Logs go to stderr; INFLUXDB3_EMULATOR_LOG=error|warn|info|debug|trace sets the level [default: info].
SIGINT or SIGTERM stops it (exit 0). Exit 1: cannot start (state file, address). Exit 2: bad usage.
";

/// Exit status for a bad command line.
const EXIT_USAGE: u8 = 2;

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Run { listen: SocketAddr, config: Config },
}

fn main() -> ExitCode {
    StderrLogger::install();
    let (listen, config) = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run { listen, config }) => (listen, config),
        Err(message) => return usage_error(&message),
    };
    // One thread, as the provider's: tokio's multi-thread scheduler is not compiled
    // in (Cargo.toml), so the provider binary does not link it.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            log::error!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(listen, config))
}

async fn run(listen: SocketAddr, config: Config) -> ExitCode {
    let state = match EmulatorState::new(config) {
        Ok(state) => state,
        Err(error @ StartError::InvalidBootstrapToken) => {
            return usage_error(&format!("--token: {error}"));
        }
        Err(error) => {
            log::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    // Signal handlers go in before the ready line, so that a signal sent as soon as
    // the line is read already stops the emulator cleanly.
    let shutdown = match shutdown_signal() {
        Ok(shutdown) => shutdown,
        Err(error) => {
            log::error!("cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(error) => {
            log::error!("cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(error) => {
            log::error!("cannot read the listening address: {error}");
            return ExitCode::FAILURE;
        }
    };
    let ready = ReadyLine::new(address, &state);
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = writeln!(stdout, "{}", ready.to_json()).and_then(|()| stdout.flush()) {
        log::error!("cannot print the ready line: {error}");
        return ExitCode::FAILURE;
    }
    drop(stdout);
    let served = match state.flavor() {
        Flavor::CloudDedicated => "the Cloud Dedicated management API",
        Flavor::Clustered => "the Clustered management API",
        Flavor::Core => "the InfluxDB 3 Core API",
        Flavor::Enterprise => "the InfluxDB 3 Enterprise API",
    };
    log::info!("serving {served} on {}", ready.url);
    if !ready.console_url.is_empty() {
        log::info!("console: {}", ready.console_url);
    }
    match serve(listener, state, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("serving failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("influxdb3-emulator: {message}\nRun `influxdb3-emulator --help` for usage.");
    ExitCode::from(EXIT_USAGE)
}

/// Completes at the first SIGINT or SIGTERM.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => log::info!("SIGINT received"),
            _ = terminate.recv() => log::info!("SIGTERM received"),
        }
    })
}

/// Completes at the first Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Parses the arguments after the program name. `--flag VALUE` and `--flag=VALUE`
/// both work; a flag given twice is an error.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut listen = None;
    let mut config = Config::default();
    let mut clustered = false;
    let mut product = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|arg| format!("argument {arg:?} is not valid UTF-8"))?;
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
            _ => (arg.clone(), None),
        };
        let mut value = || match inline_value {
            Some(value) => Ok(OsString::from(value)),
            None => args.next().ok_or_else(|| format!("{flag} needs a value")),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--listen" => {
                let text = utf8(&flag, value()?)?;
                let address = text
                    .parse()
                    .map_err(|_| format!("--listen: {text:?} is not an IP:PORT address"))?;
                set_once(&flag, &mut listen, address)?;
            }
            "--account-id" => set_once(&flag, &mut config.account_id, uuid(&flag, value()?)?)?,
            "--cluster-id" => set_once(&flag, &mut config.cluster_id, uuid(&flag, value()?)?)?,
            "--token" => set_once(&flag, &mut config.bootstrap_token, utf8(&flag, value()?)?)?,
            "--state-file" => {
                let path = PathBuf::from(value()?);
                if path.as_os_str().is_empty() {
                    return Err("--state-file needs a path".to_owned());
                }
                set_once(&flag, &mut config.state_file, path)?;
            }
            "--clustered" if inline_value.is_none() => {
                if clustered {
                    return Err("--clustered given twice".to_owned());
                }
                clustered = true;
            }
            "--clustered" => return Err("--clustered takes no value".to_owned()),
            "--product" => {
                let text = utf8(&flag, value()?)?;
                let flavor = match text.as_str() {
                    "cloud-dedicated" => Flavor::CloudDedicated,
                    "clustered" => Flavor::Clustered,
                    "core" => Flavor::Core,
                    "enterprise" => Flavor::Enterprise,
                    _ => {
                        return Err(format!(
                            "--product: {text:?} is not one of cloud-dedicated, clustered, core, enterprise"
                        ));
                    }
                };
                set_once(&flag, &mut product, flavor)?;
            }
            _ if flag.starts_with('-') => return Err(format!("unknown flag {flag}")),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    config.flavor = match (clustered, product) {
        (true, Some(flavor)) if flavor != Flavor::Clustered => {
            return Err("--clustered contradicts --product".to_owned());
        }
        (true, _) => Flavor::Clustered,
        (false, Some(flavor)) => flavor,
        (false, None) => Flavor::CloudDedicated,
    };
    let listen = match listen {
        Some(listen) => listen,
        None => DEFAULT_LISTEN_ADDR
            .parse()
            .map_err(|_| "the default listen address is invalid".to_owned())?,
    };
    Ok(Command::Run { listen, config })
}

fn set_once<T>(flag: &str, slot: &mut Option<T>, value: T) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("{flag} given twice"));
    }
    *slot = Some(value);
    Ok(())
}

fn utf8(flag: &str, value: OsString) -> Result<String, String> {
    value
        .into_string()
        .map_err(|_| format!("{flag}: the value is not valid UTF-8"))
}

fn uuid(flag: &str, value: OsString) -> Result<Uuid, String> {
    let text = utf8(flag, value)?;
    Uuid::parse_str(&text).map_err(|_| format!("{flag}: {text:?} is not a UUID"))
}

/// A minimal `log` backend: one line per record on stderr, level from
/// `INFLUXDB3_EMULATOR_LOG`. The emulator never logs secrets, so neither does this.
struct StderrLogger {
    level: log::LevelFilter,
}

impl StderrLogger {
    fn install() {
        let level = std::env::var("INFLUXDB3_EMULATOR_LOG")
            .ok()
            .and_then(|level| level.parse().ok())
            .unwrap_or(log::LevelFilter::Info);
        let logger = Box::new(StderrLogger { level });
        if log::set_boxed_logger(logger).is_ok() {
            log::set_max_level(level);
        }
    }
}

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= self.level
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
            eprintln!("{now} {:<5} {}", record.level(), record.args());
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn defaults_listen_on_the_documented_port() {
        let expected = Command::Run {
            listen: SocketAddr::from(([127, 0, 0, 1], 8181)),
            config: Config::default(),
        };
        assert_eq!(parse(&[]), Ok(expected));
    }

    #[test]
    fn every_flag_is_parsed() {
        let account_id = Uuid::new_v4();
        let cluster_id = Uuid::new_v4();
        let parsed = parse(&[
            "--listen=127.0.0.1:0",
            "--account-id",
            &account_id.to_string(),
            "--cluster-id",
            &cluster_id.to_string(),
            "--token",
            "secret",
            "--state-file",
            "/tmp/state.json",
            "--clustered",
        ]);
        let expected = Command::Run {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            config: Config {
                flavor: Flavor::Clustered,
                account_id: Some(account_id),
                cluster_id: Some(cluster_id),
                bootstrap_token: Some("secret".to_owned()),
                state_file: Some(PathBuf::from("/tmp/state.json")),
            },
        };
        assert_eq!(parsed, Ok(expected));
    }

    #[test]
    fn product_selects_the_flavor() {
        for (name, flavor) in [
            ("core", Flavor::Core),
            ("enterprise", Flavor::Enterprise),
            ("clustered", Flavor::Clustered),
            ("cloud-dedicated", Flavor::CloudDedicated),
        ] {
            let Ok(Command::Run { config, .. }) = parse(&["--product", name]) else {
                panic!("{name}");
            };
            assert_eq!(config.flavor, flavor, "{name}");
        }
    }

    #[test]
    fn help_wins() {
        assert_eq!(parse(&["--clustered", "--help"]), Ok(Command::Help));
        assert_eq!(parse(&["-h"]), Ok(Command::Help));
    }

    #[test]
    fn bad_usage_is_explained() {
        let cases = [
            (vec!["--bogus"], "unknown flag --bogus"),
            (vec!["stray"], "unexpected argument \"stray\""),
            (vec!["--listen"], "--listen needs a value"),
            (
                vec!["--listen", "nowhere"],
                "--listen: \"nowhere\" is not an IP:PORT address",
            ),
            (
                vec!["--account-id", "x"],
                "--account-id: \"x\" is not a UUID",
            ),
            (vec!["--token", "a", "--token", "b"], "--token given twice"),
            (vec!["--clustered=yes"], "--clustered takes no value"),
            (vec!["--state-file="], "--state-file needs a path"),
            (
                vec!["--product", "oss"],
                "--product: \"oss\" is not one of cloud-dedicated, clustered, core, enterprise",
            ),
            (
                vec!["--clustered", "--product", "core"],
                "--clustered contradicts --product",
            ),
        ];
        for (args, expected) in cases {
            assert_eq!(parse(&args), Err(expected.to_owned()), "{args:?}");
        }
    }
}
