# Developer entry points, after the convention of Terraform providers.
#   make build              build the provider (and the emulator) binaries
#   make test               install the test Terraform CLIs, then every test
#   make testacc            only the acceptance tests (real Terraform CLIs)
#   make lint / make fmt    rustfmt check + clippy -D warnings / rustfmt
#   make install-terraform  Terraform 1.11.4 and 1.15.5 into .tools/bin/
#   make clean-tools        remove .tools/
#   make demo               build, start the emulator, run examples/quickstart (scripts/demo.sh)
#   make generate           regenerate docs/ from templates/ and the provider's schema
#   make docs-check         fail (with a diff) when the checked-in docs/ are stale
#   make examples-check     terraform fmt -check + validate of every examples/ directory
#   make release            release archives + filesystem mirror in target/dist (scripts/release.sh)
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

.PHONY: test
test: install-terraform
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
