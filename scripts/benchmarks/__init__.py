"""The sections of `scripts/bench.py` (the entry point: `make bench`), one module each,
and what they share. Python 3.9+ standard library only.

  common         paths, the Go providers, logging, machine info, release build, downloads
  plugin_client  a minimal gRPC-over-HTTP/2 client for a provider plugin; /proc helpers
  size           the size section
  startup        the startup section
  terraform      Terraform runs against the emulator; the terraform and databases sections
  rpcs           the rpcs section (calls per RPC from the provider's trace log)
  codec          the codec section (criterion)
  report         the tables and targets of target/bench/results.md
"""
