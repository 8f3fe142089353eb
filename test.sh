#!/usr/bin/env bash
# Builds the solution and runs every test project; ends with one line "N passed, N failed" summed over all.
# Usage: ./test.sh            (restores packages from NuGet on first use)
set -u -o pipefail
cd "$(dirname "$0")"
config=Release
logs=.test-results
rm -rf "$logs"; mkdir -p "$logs"

if ! dotnet build FimVerify.sln -c "$config" -nologo -clp:ErrorsOnly > "$logs/build.log" 2>&1; then
  cat "$logs/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; status=0
strip() { sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# xUnit projects (Numeric.Tests, Properties) through dotnet test.
for project in tests/Numeric.Tests tests/Properties; do
  name=$(basename "$project")
  dotnet test "$project" -c "$config" --no-build -nologo 2>&1 | strip | tee "$logs/$name.log" \
    | grep -E "^(Passed|Failed)!|\[FAIL\]|^ +Failed |Error Message" || true
  line=$(grep -E "^(Passed|Failed)! " "$logs/$name.log" | tail -1)
  if [ -z "$line" ]; then
    echo "$name: no test summary (the run crashed?)"; tail -20 "$logs/$name.log"; failed=$((failed + 1)); status=1; continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); [ "$f" -eq 0 ] || status=1
done

# Expecto suite (Symbolic.Tests) as a console app: its adapter for dotnet test is not available here.
dotnet "tests/Symbolic.Tests/bin/$config/net10.0/Symbolic.Tests.dll" --summary 2>&1 | strip > "$logs/Symbolic.Tests.log"
line=$(grep -aE "EXPECTO! " "$logs/Symbolic.Tests.log" | tail -1)
if [ -z "$line" ]; then
  echo "Symbolic.Tests: no test summary (the run crashed?)"; tail -20 "$logs/Symbolic.Tests.log"; failed=$((failed + 1)); status=1
else
  p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed, ([0-9]+) errored.*/\1 \2/' <<<"$line")
  f=$(( ${f% *} + ${f#* } ))
  echo "Symbolic.Tests: $p passed, $f failed"
  [ "$f" -eq 0 ] || { grep -aE "ERR\]" -A3 "$logs/Symbolic.Tests.log" | head -40; status=1; }
  passed=$((passed + p)); failed=$((failed + f))
fi

echo "$passed passed, $failed failed"
exit $status
