# The two commands a newcomer runs: `make demo` and `make test`. Both install what they need.
SWIFT ?= swift
VENV := .venv

.PHONY: bootstrap build release test test-swift test-e2e demo bench clean

bootstrap:
	scripts/bootstrap

# One debug build for the binary and the tests (building tests changes compile flags, so the
# binary and the tests are built together to avoid building everything twice).
build: bootstrap
	$(SWIFT) build --build-tests

release: bootstrap
	$(SWIFT) build -c release --product tapedeck

test: build
	$(MAKE) --no-print-directory test-swift test-e2e

test-swift:
	$(SWIFT) test --skip-build

test-e2e:
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider Tests/e2e

# Figures, never pass/fail: SRTP, the receive path and the receive pipeline per packet and frame.
bench: bootstrap
	$(SWIFT) build -c release --product tapedeck-bench
	$(SWIFT) build -c release --product tapedeck
	.build/release/tapedeck-bench
	$(VENV)/bin/python scripts/bench-record.py --tapedeck .build/release/tapedeck

demo: release
	$(VENV)/bin/python scripts/demo.py --tapedeck .build/release/tapedeck

clean:
	rm -rf .build $(VENV)
