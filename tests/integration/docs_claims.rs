//! The documentation tells the truth: README.md and the provider page say near
//! the top what is real (no published API for management tokens, what real
//! accounts serve, where the ids are, how to install without the Registry);
//! every "Terraform X.Y+" next to an example agrees with the example's
//! `required_version`, which in turn covers the features the example uses; and
//! no advice computes an expiry from `timestamp()`, which would replace the
//! token on every apply.

use std::path::{Path, PathBuf};

use crate::support::terraform::repo_root;

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Collapses every run of whitespace into one space, so that phrases can be
/// found across Markdown line breaks.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The section under the `## heading` of a Markdown text, up to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {heading}\n"))? + 1;
    let body = &text[start..];
    let end = body[3..].find("\n## ").map_or(body.len(), |at| at + 3);
    Some(&body[..end])
}

/// The first `## ` heading of a Markdown text.
fn first_h2(text: &str) -> Option<&str> {
    text.lines().find_map(|line| line.strip_prefix("## "))
}

/// Every `Terraform X.Y+` statement in `text`, as `X.Y`.
fn version_claims(text: &str) -> Vec<String> {
    let mut claims = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("Terraform ") {
        rest = &rest[at + "Terraform ".len()..];
        let version: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if !version.is_empty() && rest[version.len()..].starts_with('+') {
            claims.push(version.trim_end_matches('.').to_string());
        }
    }
    claims
}

/// `X.Y` of a `required_version = ">= X.Y"` line, if the text has one.
fn required_version(terraform: &str) -> Option<String> {
    terraform.lines().find_map(|line| {
        let value = line.trim().strip_prefix("required_version")?;
        let value = value.trim().strip_prefix('=')?.trim().trim_matches('"');
        Some(value.strip_prefix(">=")?.trim().to_string())
    })
}

/// `"1.6"` -> `(1, 6)`, for comparisons.
fn minor_version(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|part| {
        part.parse::<u32>()
            .unwrap_or_else(|_| panic!("version {version:?}"))
    });
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn files_under(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') {
                files_under(&path, extension, found);
            }
        } else if name.ends_with(extension) {
            found.push(path);
        }
    }
}

#[test]
fn readme_and_provider_page_say_what_is_real_near_the_top() {
    // Each claim as it must read (whitespace-insensitive).
    let claims = [
        "InfluxData publishes no HTTP API for management tokens",
        "influxctl management create|list|revoke",
        "Admin UI",
        "docs/management-api.md",
        "No real account serves",
        "influxdb3-emulator",
        "databases, tables and database tokens",
        "This provider manages all three",
        "Not on the Terraform Registry yet",
    ];
    // Where users find the ids and how they install without the Registry.
    let elsewhere = [
        "`account_id` and `cluster_id` of your `influxctl` profile",
        "influxctl cluster list --format json",
        "https://console.influxdata.com",
        "Copy Cluster ID",
        "dev_overrides",
        "filesystem_mirror",
        "make release",
    ];
    for file in ["README.md", "docs/index.md"] {
        let text = read(file);
        assert_eq!(
            first_h2(&text),
            Some("What is real"),
            "{file}: \"## What is real\" must be its first section"
        );
        let what_is_real = normalized(section(&text, "What is real").unwrap());
        for claim in claims {
            assert!(
                what_is_real
                    .to_lowercase()
                    .contains(&normalized(claim).to_lowercase()),
                "{file}: \"What is real\" does not say {claim:?}:\n{what_is_real}"
            );
        }
        let whole = normalized(&text);
        for claim in elsewhere {
            assert!(whole.contains(claim), "{file} does not say {claim:?}");
        }
    }
}

#[test]
fn version_statements_agree_with_the_examples_they_show() {
    let mut pages = Vec::new();
    files_under(&repo_root().join("docs"), ".md", &mut pages);
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let name = page.strip_prefix(repo_root()).unwrap().display();
        // Paragraphs: blank-line separated; a fenced block may contain blank lines.
        let mut previous_prose = String::new();
        let mut lines = text.lines();
        let mut paragraph = String::new();
        while let Some(line) = lines.next() {
            if line.starts_with("```") {
                if !paragraph.trim().is_empty() {
                    previous_prose = std::mem::take(&mut paragraph);
                }
                let block: Vec<&str> = lines
                    .by_ref()
                    .take_while(|l| !l.starts_with("```"))
                    .collect();
                let block = block.join("\n");
                if let Some(required) = required_version(&block) {
                    for claim in version_claims(&previous_prose)
                        .into_iter()
                        .chain(version_claims(&block))
                    {
                        assert_eq!(
                            claim, required,
                            "{name}: says Terraform {claim}+ next to an example that requires \
                             >= {required}:\n{previous_prose}\n{block}"
                        );
                        checked += 1;
                    }
                }
                previous_prose.clear();
            } else if line.trim().is_empty() {
                if !paragraph.trim().is_empty() {
                    previous_prose = std::mem::take(&mut paragraph);
                }
            } else {
                paragraph.push_str(line);
                paragraph.push('\n');
            }
        }
    }
    // The import page states a version: the check must have seen it.
    assert!(
        checked >= 2,
        "only {checked} version statements checked: the import example's prose and comment say \
         which Terraform they need"
    );
}

/// The oldest Terraform that accepts what `config` uses, with the reason.
fn needed_terraform(config: &str) -> ((u32, u32), &'static str) {
    let mut needed = ((0, 0), "nothing version-specific");
    let mut need = |version: (u32, u32), why: &'static str| {
        if version > needed.0 {
            needed = (version, why);
        }
    };
    if config.contains("plantimestamp()") {
        need((1, 5), "plantimestamp()");
    }
    let mut in_import = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        if line == "import {" {
            in_import = true;
            need((1, 5), "import blocks");
        } else if in_import && line == "}" {
            in_import = false;
        } else if in_import {
            if let Some(id) = line.strip_prefix("id") {
                let id = id.trim_start().trim_start_matches('=').trim();
                if !(id.starts_with('"') && id.ends_with('"') && !id.contains("${")) {
                    need((1, 6), "an import id that is an expression");
                }
            }
            if line.starts_with("for_each") {
                need((1, 7), "for_each in an import block");
            }
        }
    }
    needed
}

#[test]
fn examples_require_the_terraform_their_features_need() {
    let mut files = Vec::new();
    files_under(&repo_root().join("examples"), ".tf", &mut files);
    assert!(!files.is_empty());
    for file in files {
        let config = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(repo_root()).unwrap().display();
        let (needed, why) = needed_terraform(&config);
        let Some(required) = required_version(&config) else {
            // Snippets without a terraform block are embedded into pages that
            // state no version; anything needing one must declare it.
            assert!(
                needed <= (1, 5),
                "{name} uses {why} (Terraform {}.{}+) but declares no required_version",
                needed.0,
                needed.1
            );
            continue;
        };
        assert!(
            minor_version(&required) >= needed,
            "{name}: required_version >= {required}, but it uses {why}, which needs Terraform {}.{}",
            needed.0,
            needed.1
        );
        for claim in version_claims(&config) {
            assert_eq!(
                claim, required,
                "{name}: a comment says Terraform {claim}+, required_version says {required}"
            );
        }
    }
}

#[test]
fn needed_terraform_knows_the_import_block_versions() {
    let literal = "import {\n  to = a.b\n  id = \"0f8fad5b\"\n}\n";
    let variable = "import {\n  to = a.b\n  id = var.token_id\n}\n";
    let for_each = "import {\n  for_each = var.ids\n  to = a.b[each.key]\n  id = each.value\n}\n";
    assert_eq!(needed_terraform(literal).0, (1, 5));
    assert_eq!(needed_terraform(variable).0, (1, 6));
    assert_eq!(needed_terraform(for_each).0, (1, 7));
    assert_eq!(needed_terraform("resource \"a\" \"b\" {}\n").0, (0, 0));
}

#[test]
fn expiry_advice_never_computes_from_timestamp() {
    // timestamp() changes on every run: an expiry computed from it replaces
    // the token on every apply. The advice is what examples/quickstart does.
    let mut files = Vec::new();
    for dir in ["src", "templates", "docs", "examples"] {
        files_under(&repo_root().join(dir), "", &mut files);
    }
    files.push(repo_root().join("README.md"));
    let mut offenders = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("timeadd(timestamp()") {
                offenders.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(repo_root()).unwrap().display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "expiry computed from timestamp():\n{}",
        offenders.join("\n")
    );

    let quickstart = read("examples/quickstart/main.tf");
    let diagnostic = read("src/provider/resources/token_rules.rs");
    let resource_page = normalized(&read("docs/resources/management_token.md"));
    for (name, text) in [
        ("examples/quickstart/main.tf", quickstart.as_str()),
        ("the expires_at diagnostic", diagnostic.as_str()),
        ("docs/resources/management_token.md", resource_page.as_str()),
    ] {
        for pattern in ["timeadd(plantimestamp(), ", "ignore_changes = [expires_at]"] {
            assert!(
                text.contains(pattern),
                "{name} does not show {pattern:?} (the quickstart's way to set a relative expiry)"
            );
        }
    }
}
