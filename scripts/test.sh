#!/usr/bin/env bash
# `npm run test:all`: everything a fresh machine (or CI) needs, then the type check and every jest test.
# Extra arguments go to jest, e.g. `npm run test:all -- libs/crypto`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# Debian package -> the command that shows it is there. Needed by the SIP tests only; optional.
SIP_TEST_PACKAGES=(
  rtpengine-daemon:rtpengine
  baresip-core:baresip
  sip-tester:sipp
  sox:sox
  espeak-ng:espeak-ng
)

install_sip_test_packages() {
  local entry pkg cmd missing=()
  for entry in "${SIP_TEST_PACKAGES[@]}"; do
    pkg="${entry%%:*}"
    cmd="${entry#*:}"
    if command -v "$cmd" >/dev/null 2>&1 || dpkg_installed "$pkg"; then continue; fi
    missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    info "SIP test tools present"
    return 0
  fi
  if apt_install "${missing[@]}"; then return 0; fi
  # One unavailable package fails the whole transaction; try each alone so the others still land.
  for pkg in "${missing[@]}"; do
    dpkg_installed "$pkg" || apt_install "$pkg" || warn "could not install $pkg; the SIP tests that need it will be skipped"
  done
  return 0
}

# The console's browser tests drive Debian's chromium (playwright-core, no downloaded browser).
# Installed when missing; without it those tests say SKIPPED on one line each.
install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    info "chromium present"
    return 0
  fi
  apt_install chromium || warn "could not install chromium; the console's browser tests will be skipped"
}

# A drachtio-server built by hand (it is in no package registry) is looked for in DRACHTIO_BIN, on PATH,
# and at the conventional /opt/drachtio/bin/drachtio; nothing here builds or downloads it.
if [ -z "${DRACHTIO_BIN:-}" ] && ! command -v drachtio >/dev/null 2>&1 && [ -x /opt/drachtio/bin/drachtio ]; then
  export DRACHTIO_BIN=/opt/drachtio/bin/drachtio
fi

drachtio_found() {
  if [ -n "${DRACHTIO_BIN:-}" ] && [ -x "$DRACHTIO_BIN" ]; then return 0; fi
  command -v drachtio >/dev/null 2>&1
}

# Prints `jest: N passed, M failed, K skipped` summed over jest's JSON reports; exit 1 if one is missing.
print_jest_summary() {
  node - "$@" <<'JS'
const fs = require('node:fs');
const total = { passed: 0, failed: 0, skipped: 0, broken: 0 };
let missing = false;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.log(`jest: no report at ${file} (jest did not finish)`);
    missing = true;
    continue;
  }
  const n = (key) => Number(report[key] ?? 0);
  total.broken += n('numRuntimeErrorTestSuites');
  total.passed += n('numPassedTests');
  total.failed += n('numFailedTests');
  total.skipped += n('numPendingTests') + n('numTodoTests');
}
if (total.broken > 0) console.log(`jest: ${total.broken} test suite(s) failed to run`);
console.log(`jest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
if (missing) process.exit(1);
JS
}

ensure_mariadb
install_sip_test_packages || warn "installing the SIP test tools failed; the SIP tests that need them will be skipped"
install_chromium || true
npm_ci_if_needed

tsc_status=0
info "type check: tsc -p tsconfig.json --noEmit"
npx tsc -p tsconfig.json --noEmit || tsc_status=$?
info "type check: tsc -p apps/console/web/tsconfig.json --noEmit (the console's pages)"
npx tsc -p apps/console/web/tsconfig.json --noEmit || tsc_status=$?
if [ "$tsc_status" -ne 0 ]; then
  warn "type check failed (exit $tsc_status); running the tests anyway, the run will fail"
fi

# The browser tests need the built pages; they also rebuild them themselves when stale.
info "building the console's pages (vite)"
npm run --silent build:console || warn "the console build failed; its browser tests will fail"

mkdir -p test-output
report="test-output/jest.json"
rm -f "$report"
jest_status=0
info "jest"
reports=("$report")
if [ "$#" -eq 0 ]; then
  # The SIP tests against the real stack (drachtio, rtpengine, baresip) time calls and restart
  # drachtio; the load of the other suites running beside them made that flaky, so they run alone after.
  npx jest --ci --json --outputFile="$report" --testPathIgnorePatterns /node_modules/ /dist/ /test/e2e/dialer/ || jest_status=$?
  sip_report="test-output/jest-sip.json"
  rm -f "$sip_report"
  info "jest: SIP end-to-end tests, alone"
  npx jest --ci --runInBand --json --outputFile="$sip_report" test/e2e/dialer || jest_status=$?
  reports+=("$sip_report")
else
  npx jest --ci --json --outputFile="$report" "$@" || jest_status=$?
fi

if ! drachtio_found; then
  echo "SKIPPED: SIP end-to-end tests need drachtio-server (set DRACHTIO_BIN or put drachtio on PATH); not found on this machine"
fi
[ "$tsc_status" -eq 0 ] || echo "typecheck: FAILED (tsc exit $tsc_status)"

summary_status=0
print_jest_summary "${reports[@]}" || summary_status=$?

if [ "$jest_status" -ne 0 ]; then exit "$jest_status"; fi
if [ "$tsc_status" -ne 0 ]; then exit "$tsc_status"; fi
exit "$summary_status"
