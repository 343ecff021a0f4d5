# The two commands a newcomer runs: `make demo` and `make test`. Both install what they need.
SWIFT ?= swift
VENV := .venv
# libsrtp2 on OpenSSL, built by scripts/bootstrap (scripts/build-libsrtp), ahead of Debian's.
export PKG_CONFIG_PATH := $(CURDIR)/.deps/libsrtp2/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

.PHONY: bootstrap build release test test-swift test-fuzz test-e2e demo bench clean fuzz fuzz-build soak

bootstrap:
	scripts/bootstrap

# One debug build for the binary and the tests (building tests changes compile flags, so the
# binary and the tests are built together to avoid building everything twice).
build: bootstrap
	$(SWIFT) build --build-tests

release: bootstrap
	$(SWIFT) build -c release --product tapedeck

# The fuzz slice comes last: its build recompiles the fuzzed modules instrumented (see
# Package.swift), which the binary the e2e tests run does not want to see half-way.
test: build
	$(MAKE) --no-print-directory test-swift test-e2e test-fuzz

# One test at a time: run in parallel on two cores, the tests that decode with ffmpeg starve the
# cooperative thread pool, and the tests of real sockets, servers and deadlines then fail by
# turns (about 3 minutes instead of 1.5, and the same result every time).
test-swift:
	$(SWIFT) test --skip-build --no-parallel

# Coverage-guided fuzzing (docs/fuzzing.md): libFuzzer + AddressSanitizer on the modules that
# hold the parsers, the dependencies reused from the debug build. `make fuzz` runs every target FUZZ_SECONDS
# (`make fuzz FUZZ_SECONDS=3600 FUZZ_TARGETS="rtp sdp"` for some); `make test` runs each for
# FUZZ_CHECK_SECONDS from its committed seeds only, so a parser that regresses fails the tests.
FUZZ_SECONDS ?= 300
FUZZ_CHECK_SECONDS ?= 3
FUZZ_TARGETS ?=
# The API from its OpenAPI document (schemathesis): examples per operation in `make fuzz`.
SCHEMATHESIS_EXAMPLES ?= 1000

fuzz-build:
	TAPEDECK_FUZZ=1 $(SWIFT) build --product tapedeck-fuzz

fuzz: build fuzz-build
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)
	SCHEMATHESIS_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) $(VENV)/bin/python -m pytest -q -p no:cacheprovider Tests/e2e/test_api_schemathesis.py

test-fuzz: fuzz-build
	FUZZ_FRESH=1 FUZZ_WORK=.build/fuzz-check scripts/fuzz $(FUZZ_CHECK_SECONDS) $(FUZZ_TARGETS)

# The kill soak at length (docs/fencing.md): three workers on one PostgreSQL, SOAK_KILLS of them
# killed with SIGKILL at random and restarted; `make test` runs the same test with 10 kills.
# SOAK_SEED=N replays a run's kill schedule.
SOAK_KILLS ?= 100
soak: build
	SOAK_KILLS=$(SOAK_KILLS) $(VENV)/bin/python -m pytest -q -s -p no:cacheprovider Tests/e2e/test_jobs_kill_soak.py

# Two tests at a time (pytest-xdist): most of the e2e suite waits on wall-clock time (calls of up
# to a minute at a fraction of a core), so two workers take about half as long. The tests marked
# `alone` then run one at a time: a live composite encodes in real time (and drops frames when
# another test takes a core), and the network namespace rigs add and remove links in the root
# namespace that another test's call could be using. Both parts always run; either failing fails
# the target.
# --durations: the slowest tests, in every run's log (the whole of `make test` must stay under 45
# minutes on a 2-core machine; the e2e tests are most of it). E2E_WORKERS=1 runs them one by one.
E2E_WORKERS ?= 2
test-e2e:
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -n $(E2E_WORKERS) -m "not alone" --durations=15 Tests/e2e; \
	shared=$$?; \
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -m alone --durations=5 Tests/e2e; \
	alone=$$?; \
	[ $$shared -eq 0 ] && [ $$alone -eq 0 ]

# Figures, never pass/fail: SRTP, the receive path and the receive pipeline per packet and frame;
# then real processes: what each recipe costs, and how one recording process scales (N participants).
bench: bootstrap
	$(SWIFT) build -c release --product tapedeck-bench
	$(SWIFT) build -c release --product tapedeck
	.build/release/tapedeck-bench
	$(VENV)/bin/python scripts/bench-record.py --tapedeck .build/release/tapedeck
	$(VENV)/bin/python scripts/bench-scale.py --tapedeck .build/release/tapedeck
	$(VENV)/bin/python scripts/bench-render.py --tapedeck .build/release/tapedeck

demo: release
	$(VENV)/bin/python scripts/demo.py --tapedeck .build/release/tapedeck

clean:
	rm -rf .build $(VENV)
