# Developer entry points, after the convention of Terraform providers.
#   make build              build the provider (and the emulator) binaries
#   make test               install the test Terraform CLIs and the test browser, then every test
#   make testacc            only the acceptance tests (real Terraform CLIs)
#   make lint / make fmt    rustfmt check + clippy -D warnings / rustfmt
#   make install-terraform  Terraform 1.11.4 and 1.15.5 into .tools/bin/
#   make install-browser    Chromium + chromedriver for the console's browser tests (apt-get as root)
#   make clean-tools        remove .tools/
#   make demo               build, start the emulator, run examples/quickstart (scripts/demo.sh)
#   make emulator           run the emulator alone on 127.0.0.1:8181; its ready line gives the console URL
#   make generate           regenerate docs/ from templates/ and the provider's schema
#   make docs-check         fail (with a diff) when the checked-in docs/ are stale
#   make examples-check     terraform fmt -check + validate of every examples/ directory
#                           (and validate -query where it has .tfquery.hcl files)
#   make release            release archives + filesystem mirror in target/dist (scripts/release.sh)
#   make bench              benchmarks vs Go providers (null_resource too) and Terraform's floor (scripts/bench.py, BENCHMARKS.md)
#   make deny               cargo-deny: licenses, bans, sources of the dependency graph (deny.toml)
#   make msrv-check         the declared rust-version is the toolchain CI tests with
# Pass extra test-runner arguments with TESTARGS, e.g.
#   make testacc TESTARGS='--nocapture'
#   make testacc TESTFILTER=acceptance_schema::harness_

SHELL := /bin/bash
CARGO ?= cargo
TESTARGS ?=
TESTFILTER ?= acceptance_
# rustfmt's diff colors: auto, always or never (.ci/run uses never).
RUSTFMT_COLOR ?= auto

# Terraform never phones home from tests (no network here).
export CHECKPOINT_DISABLE=1

.PHONY: all
all: build

.PHONY: build
build:
	$(CARGO) build --bins

.PHONY: install-terraform
install-terraform:
	bash scripts/install-terraform.sh

.PHONY: install-browser
install-browser:
	bash scripts/install-browser.sh

.PHONY: test
test: install-terraform install-browser
	$(CARGO) test --all-targets --no-fail-fast -- $(TESTARGS)

.PHONY: testacc
testacc: install-terraform
	$(CARGO) test --test integration -- $(TESTFILTER) $(TESTARGS)

.PHONY: lint
lint:
	$(CARGO) fmt --all -- --check --color $(RUSTFMT_COLOR)
	$(CARGO) clippy --all-targets -- -D warnings

.PHONY: fmt
fmt:
	$(CARGO) fmt --all

.PHONY: clean-tools
clean-tools:
	rm -rf .tools

.PHONY: demo
demo:
	bash scripts/demo.sh

# The emulator alone, in the foreground until Ctrl-C; the ready line (stdout) and
# the log (stderr) both name the console URL. E.g.
#   make emulator EMULATOR_ARGS='--listen 127.0.0.1:0 --state-file /tmp/emulator.json'
EMULATOR_ARGS ?= --listen 127.0.0.1:8181
.PHONY: emulator
emulator:
	$(CARGO) build --bin influxdb3-emulator
	@target="$${CARGO_TARGET_DIR:-$(CURDIR)/target}"; \
	echo "emulator: sign in to the console (console_url below) with the token of the ready line; Ctrl-C stops it"; \
	exec "$$target/debug/influxdb3-emulator" $(EMULATOR_ARGS)

# The Terraform CLI of generate, docs-check and examples-check: $TERRAFORM, else
# .tools/bin/terraform-1.15.5, installed when missing (not a `terraform` on PATH: the
# docs and examples use actions, list resources and identity, which need 1.14+).
FIND_TERRAFORM = tf="$${TERRAFORM:-}"; \
	if [ -z "$$tf" ] && [ -x .tools/bin/terraform-1.15.5 ]; then tf="$(CURDIR)/.tools/bin/terraform-1.15.5"; fi; \
	if [ -z "$$tf" ]; then bash scripts/install-terraform.sh && tf="$(CURDIR)/.tools/bin/terraform-1.15.5"; fi

.PHONY: generate
generate:
	$(CARGO) build --bin terraform-provider-influxdb3
	@$(FIND_TERRAFORM); set -x; python3 scripts/generate-docs.py --terraform "$$tf"

.PHONY: docs-check
docs-check:
	$(CARGO) build --bin terraform-provider-influxdb3
	@$(FIND_TERRAFORM); set -x; python3 scripts/generate-docs.py --terraform "$$tf" --check

# fmt -check of examples/, then validate of every directory holding .tf files, in
# a scratch copy with a dev_overrides CLI config (no init, no download, no API).
# Snippets without required_providers get one in the copy only.
.PHONY: examples-check
examples-check:
	$(CARGO) build --bin terraform-provider-influxdb3
	@set -euo pipefail; $(FIND_TERRAFORM); \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	printf 'disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n    "registry.terraform.io/influxdb3/influxdb3" = "%s"\n  }\n  direct {}\n}\n' \
	  "$${CARGO_TARGET_DIR:-$(CURDIR)/target}/debug" >"$$tmp/terraform.tfrc"; \
	export TF_CLI_CONFIG_FILE="$$tmp/terraform.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0; \
	echo "examples-check: $$("$$tf" version | head -n 1) ($$tf)"; \
	failed=0; count=0; \
	echo "==> terraform fmt -check -recursive examples"; \
	"$$tf" fmt -check -diff -recursive -no-color examples || { echo "FAIL  terraform fmt (run: terraform fmt -recursive examples)"; failed=1; }; \
	cp -R examples "$$tmp/examples"; \
	find "$$tmp/examples" \( -name .terraform -o -name '*.tfstate*' -o -name .terraform.lock.hcl \) -prune -exec rm -rf {} +; \
	echo "==> terraform validate"; \
	for dir in $$(cd "$$tmp" && find examples -name '*.tf' -printf '%h\n' | sort -u); do \
	  count=$$((count + 1)); \
	  if ! grep -qs required_providers "$$tmp/$$dir"/*.tf; then \
	    printf 'terraform {\n  required_providers {\n    influxdb3 = {\n      source = "influxdb3/influxdb3"\n    }\n  }\n}\n' \
	      >"$$tmp/$$dir/zz_examples_check.tf"; \
	  fi; \
	  if "$$tf" -chdir="$$tmp/$$dir" get -no-color >"$$tmp/out" 2>&1 && \
	     "$$tf" -chdir="$$tmp/$$dir" validate -no-color >>"$$tmp/out" 2>&1 && \
	     { ! ls "$$tmp/$$dir"/*.tfquery.hcl >/dev/null 2>&1 || \
	       "$$tf" -chdir="$$tmp/$$dir" validate -query -no-color >>"$$tmp/out" 2>&1; }; then \
	    echo "ok    $$dir"; \
	  else \
	    echo "FAIL  $$dir"; sed 's/^/      /' "$$tmp/out"; failed=$$((failed + 1)); \
	  fi; \
	done; \
	if [ "$$failed" != 0 ]; then echo "examples-check: FAILED ($$failed problem(s); $$count example directories)"; exit 1; fi; \
	echo "examples-check: $$count example directories are formatted and valid"

# Release archive, SHA256SUMS, registry manifest and filesystem mirror in
# target/dist (a cargo build --release first). E.g. make release RELEASEARGS='--out /tmp/dist'
RELEASEARGS ?=
.PHONY: release
release:
	bash scripts/release.sh $(RELEASEARGS)

# Start-up, memory, size, Terraform plan/apply, API calls per refresh and codec
# benchmarks; results in target/bench/. E.g. make bench BENCHARGS='--quick'
BENCHARGS ?=
.PHONY: bench
bench:
	python3 scripts/bench.py $(BENCHARGS)

# Coverage-guided fuzzing (libFuzzer via cargo-fuzz, stable Rust) of the parsers
# of untrusted input; installs cargo-fuzz into .tools/cargo. See fuzz/README.md.
# E.g. make fuzz FUZZARGS='--runs 5000000 --seconds 600 msgpack_value'
FUZZARGS ?=
.PHONY: fuzz
fuzz:
	bash scripts/fuzz.sh $(FUZZARGS)

# Dependency policy (deny.toml): licenses, bans and sources with cargo-deny,
# installed into .tools/cargo. Advisories need GitHub (not reachable in CI):
# make deny DENYARGS=advisories where it is.
DENYARGS ?=
.PHONY: deny
deny:
	bash scripts/deny.sh $(DENYARGS)

# Cargo.toml's rust-version must be the Rust release CI tests with.
.PHONY: msrv-check
msrv-check:
	bash scripts/check-msrv.sh
