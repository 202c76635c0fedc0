# Rapport's everyday commands (README.md):
#
#   make run     build, create rapport.db with demo data if absent (else print its demo
#                sign-in details again), serve on 127.0.0.1:8080
#   make test    build normally and with AddressSanitizer + UBSan, run every suite in both
#                (the browser tests, tests/browser/, in the normal build only);
#                the last line is `N passed, N failed`
#   make bench   the benchmarks (bench/README.md); make bench-web only the web client's;
#                bench/limit.sh needs ../shared/bench (limit-server.c) beside the repo
#   make fuzz    the libFuzzer targets of tests/fuzz/ (clang, ASan + UBSan, in
#                build-fuzz), FUZZ_SECONDS (default 60) each; fails on a crash
#   make         just build
#
# run, test and bench first install the Debian packages they need when run
# as root, or print the apt-get line to run (tools/deps.sh); test and bench
# also chromium, node and `npm ci` (run does not need them).
#
# Build directories can be chosen: make test BUILD=build-me (the sanitizer
# build then goes to build-me-asan).

BUILD      ?= build
ASAN_BUILD ?= $(BUILD)-asan
DB         ?= rapport.db
LISTEN     ?= 127.0.0.1:8080
PYTHON     ?= python3
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
RAPPORT     = ./$(BUILD)/src/rapport

# For the sanitizer build: stop at the first error, report leaks, and give
# UBSan's stack. Harmless for the normal build.
export ASAN_OPTIONS  ?= halt_on_error=1:detect_leaks=1:abort_on_error=0:print_summary=1
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1:print_summary=1

.PHONY: all build asan deps deps-browser run test bench bench-web fuzz

all: build

deps:
	@bash tools/deps.sh

# The browser tests and bench/web_load.mjs also need chromium and node
# (tools/deps.sh --browser) and the npm packages of package-lock.json.
# `npm ci` runs only when the lockfile is newer than what node_modules
# holds, so a current node_modules needs no network.
deps-browser:
	@bash tools/deps.sh --browser
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --prefer-offline
	@touch $@

build:
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  meson setup $(BUILD) --buildtype=debugoptimized; \
	fi
	ninja -C $(BUILD)

asan:
	@if [ ! -f $(ASAN_BUILD)/build.ninja ]; then \
	  meson setup $(ASAN_BUILD) --buildtype=debugoptimized \
	    -Db_sanitize=address,undefined -Db_lundef=false; \
	fi
	ninja -C $(ASAN_BUILD)

run: deps
	@$(MAKE) --no-print-directory build
	@if [ ! -e $(DB) ]; then \
	  $(RAPPORT) demo --db $(DB) || exit 1; \
	else \
	  echo "Using the existing database $(CURDIR)/$(DB) (its key is beside it; remove both to start afresh)."; \
	  $(RAPPORT) demo --db $(DB) || \
	    echo "It is not a demo database: sign in with the accounts made for it."; \
	fi
	@echo "Serving on http://$(LISTEN) (Ctrl-C stops)"
	$(RAPPORT) serve --db $(DB) --listen $(LISTEN)

# Every suite runs in both builds, except the API suite on SQLite: it runs
# once, in the sanitizer build. Both builds compile the same code at the
# same optimisation, and the sanitizers see more; the normal build runs the
# API tests on PostgreSQL, the browser journeys, the unit tests and fuzz
# seeds. `meson test -C $(BUILD) --suite api` still runs it there.
test: deps-browser
	@$(MAKE) --no-print-directory build asan
	@$(PYTHON) tests/run_all.py --once api $(BUILD) $(ASAN_BUILD)

bench: deps-browser
	bash bench/run.sh
	bash bench/ops.sh
	bash bench/limit.sh
	bash bench/mail.sh
	node bench/web_load.mjs ./build-bench/src/rapport
	ninja -C build-bench bench/trust/bench_trust_throughput bench/trust/bench_trust_cusum \
	  bench/sim/program_sim
	./build-bench/bench/trust/bench_trust_throughput
	./build-bench/bench/trust/bench_trust_cusum
	./build-bench/bench/sim/program_sim --noise 1
	./build-bench/bench/sim/program_sim --noise 2
	ninja -C build-bench bench/match/bench_match bench/match/bench_circles
	./build-bench/bench/match/bench_match
	./build-bench/bench/match/bench_circles
	bash bench/circles.sh
	./build-bench/bench/match/bench_match --learners 200 --guides 5000 --top-only
	python3 bench/match/suggestions.py ./build-bench/src/rapport 5000 30
	bash bench/trust_recompute.sh
	bash bench/trust_recompute.sh --postgres --read
	bash bench/confidentiality.sh
	bash bench/postgres.sh
	bash bench/roster.sh

# Only the web client's load figures (bench/web_load.mjs) on this build.
bench-web: deps-browser
	@$(MAKE) --no-print-directory build
	node bench/web_load.mjs $(RAPPORT)

# clang's extra warnings are not this build's business (the gcc builds keep
# warnings as errors); the saved corpora stay as they are (tests/fuzz/run.sh).
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	@if [ ! -f $(FUZZ_BUILD)/build.ninja ]; then \
	  CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzz=true \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false; \
	fi
	ninja -C $(FUZZ_BUILD)
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)
