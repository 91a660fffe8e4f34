//! What the acceptance tests of the self-hosted products share (tokens,
//! databases, tables, last and distinct value caches, and their Terraform
//! 1.10+ kinds): one emulator in `--product core` or `--product enterprise`
//! mode and one workdir per CLI, plus the API's view of tokens, databases and
//! tables, and changes made behind Terraform's back.

use serde_json::{Value, json};

use crate::support::acceptance::assert_output_contains;
use crate::support::emulator::EmulatorProcess;
use crate::support::terraform::{TerraformCli, TestWorkdir, TfOutput, required_providers_block};

/// One CLI's world: an emulator serving `product` and a workdir.
pub(crate) struct V3Env {
    // Dropped (and kept, on failure, when asked) before the emulator is killed.
    pub(crate) wd: TestWorkdir,
    pub(crate) emulator: EmulatorProcess,
    product: &'static str,
}

impl V3Env {
    pub(crate) fn new(cli: &TerraformCli, product: &'static str) -> Self {
        Self {
            wd: TestWorkdir::new(cli),
            emulator: EmulatorProcess::start_with(&["--product", product]),
            product,
        }
    }

    /// Writes `main.tf`: the provider block for this emulator, then `body`.
    pub(crate) fn write(&self, body: &str) {
        self.wd.write_config(&format!(
            "{}\nprovider \"influxdb3\" {{\n  product = \"{}\"\n  host    = \"{}\"\n  token   = \"{}\"\n}}\n\n{body}",
            required_providers_block(),
            self.product,
            self.emulator.url(),
            self.emulator.token()
        ));
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 2 changes.
    pub(crate) fn plan(&self) -> TfOutput {
        self.wd.run(&["plan", "-input=false", "-detailed-exitcode"])
    }

    /// A refresh-only plan reports each of `addresses` deleted outside Terraform.
    #[track_caller]
    pub(crate) fn assert_refresh_reports_deleted(&self, addresses: &[&str]) {
        let refresh = self.wd.run(&[
            "plan",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        assert_eq!(refresh.code, 2, "expected drift (exit code 2):\n{refresh}");
        for address in addresses {
            assert_output_contains(&refresh, &[&format!("{address} has been deleted")]);
        }
    }

    /// `method path` as the operator, asserting the status.
    #[track_caller]
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Value>, status: u16) -> Value {
        let (got, answer) = self.emulator.request(method, path, body);
        assert_eq!(got, status, "{method} {path}: {answer}");
        answer
    }

    /// The rows of an SQL query on `db`; `None` when the server has no such database.
    pub(crate) fn query(&self, db: &str, q: &str) -> Option<Vec<Value>> {
        let (status, body) = self.emulator.request(
            "POST",
            "/api/v3/query_sql",
            Some(json!({"db": db, "q": q, "format": "json"})),
        );
        match status {
            404 => None,
            200 => Some(body.as_array().cloned().unwrap_or_default()),
            _ => panic!("query {q:?} on {db}: HTTP {status}: {body}"),
        }
    }

    /// The columns of `table` as `(name, data_type)`; empty when there is none.
    pub(crate) fn columns(&self, db: &str, table: &str) -> Vec<(String, String)> {
        let q = influxdb3_provider::api::v3_tables::table_columns_query(table);
        self.query(db, &q)
            .unwrap_or_default()
            .iter()
            .map(|row| {
                (
                    row["column_name"].as_str().unwrap_or_default().to_owned(),
                    row["data_type"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// The rows of `system.tokens`, through the API.
    pub(crate) fn token_rows(&self) -> Vec<Value> {
        self.query("_internal", "SELECT * FROM system.tokens")
            .unwrap_or_else(|| panic!("the server has no _internal database"))
    }

    pub(crate) fn token_names(&self) -> Vec<String> {
        self.token_rows()
            .iter()
            .filter_map(|row| row["name"].as_str().map(str::to_owned))
            .collect()
    }

    pub(crate) fn database_names(&self) -> Vec<String> {
        let body = self.call("GET", "/api/v3/configure/database?format=json", None, 200);
        serde_json::from_value(body["databases"].clone()).unwrap_or_default()
    }

    /// Makes an admin token outside Terraform.
    pub(crate) fn outside_admin_token(&self, name: &str) {
        self.call(
            "POST",
            "/api/v3/configure/token/named_admin",
            Some(json!({"token_name": name})),
            201,
        );
    }

    /// Makes a database outside Terraform.
    pub(crate) fn outside_database(&self, name: &str) {
        self.call(
            "POST",
            "/api/v3/configure/database",
            Some(json!({"db": name})),
            200,
        );
    }

    pub(crate) fn delete_token(&self, name: &str) {
        self.call(
            "DELETE",
            &format!("/api/v3/configure/token?token_name={name}"),
            None,
            200,
        );
    }

    /// How often the emulator served `operation`.
    pub(crate) fn served(&self, operation: &str) -> u64 {
        self.emulator.stats()["by_operation"][operation]
            .as_u64()
            .unwrap_or(0)
    }

    /// Whether `secret` authenticates against the server.
    pub(crate) fn secret_works(&self, secret: &str) -> bool {
        let client = crate::support::emulator::http_client();
        let url = format!(
            "{}/api/v3/configure/database?format=json",
            self.emulator.url()
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("{error}"));
        let status = runtime.block_on(async {
            client
                .get(url)
                .bearer_auth(secret)
                .send()
                .await
                .map(|response| response.status().as_u16())
                .unwrap_or(0)
        });
        status == 200
    }

    pub(crate) fn delete_database(&self, db: &str) {
        self.call(
            "DELETE",
            &format!("/api/v3/configure/database?db={db}"),
            None,
            200,
        );
    }

    pub(crate) fn delete_table(&self, db: &str, table: &str) {
        self.call(
            "DELETE",
            &format!("/api/v3/configure/table?db={db}&table={table}"),
            None,
            200,
        );
    }
}
