#!/usr/bin/env bash
# Fuzzes one RLKit loader with SharpFuzz + afl-fuzz for a bounded time.
#   fuzz/run.sh <target> <seconds>     targets: safetensors checkpoint checkpoint-agent options tfevents replay-buffer
# Needs afl-fuzz (Debian: apt-get install -y afl++); installs the sharpfuzz tool (SharpFuzz.CommandLine 2.3.0) into
# fuzz/.work/tools. Work files go to fuzz/.work/<target>/ (ignored by git): bin/ the instrumented build, findings/
# afl's output. FUZZ_RESUME=1 continues the previous findings/ instead of starting from fuzz/corpus/<target>/.
# Crashes and hangs are copied to fuzz/crashes/<target>/ for the replay test (commit them with a FINDINGS.md entry).
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: $0 <target> <seconds>" >&2; exit 2; fi
target=$1 seconds=$2
case $target in safetensors|checkpoint|checkpoint-agent|options|tfevents|replay-buffer) ;; *) echo "unknown target '$target'" >&2; exit 2;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=$here/.work
bin=$work/$target/bin
findings=$work/$target/findings
mkdir -p "$work"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 1; }
[ -x "$work/tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null

# One build at a time (two targets may start together); each target instruments its own copy.
(
  flock 9
  dotnet build "$here/RLKit.Fuzz/RLKit.Fuzz.csproj" -c Release -v quiet -nologo | grep -E " error |rror\(s\)" || true
) 9>"$work/build.lock"
rm -rf "$bin" && mkdir -p "$bin" && cp -r "$here/RLKit.Fuzz/bin/Release/net10.0/." "$bin/"
dlls=(RLKit.Core.dll RLKit.Algorithms.dll)
[ "$target" = tfevents ] && dlls+=(Google.Protobuf.dll RLKit.Fuzz.Targets.dll)
for dll in "${dlls[@]}"; do "$work/tools/sharpfuzz" "$bin/$dll" >/dev/null; done

if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -d "$findings" ]; then input=-; else rm -rf "$findings"; input=$here/corpus/$target; fi
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
# A 1 GiB managed heap: an input that makes a loader allocate more fails with OutOfMemoryException, a crash.
export DOTNET_GCHeapHardLimit=0x40000000 DOTNET_TieredPGO=0
afl-fuzz -i "$input" -o "$findings" -x "$here/rlkit.dict" -t 5000 -m none -V "$seconds" \
  -- dotnet "$bin/RLKit.Fuzz.dll" "$target" > "$work/$target/afl.log" 2>&1 || { tail -30 "$work/$target/afl.log"; exit 1; }

stats=$findings/default/fuzzer_stats
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "$target: run_time=$(get run_time)s execs_done=$(get execs_done) execs_per_sec=$(get execs_per_sec) corpus_count=$(get corpus_count) edges_found=$(get edges_found) saved_crashes=$(get saved_crashes) saved_hangs=$(get saved_hangs)"
for kind in crashes hangs; do
  for f in "$findings"/default/$kind/id:*; do
    [ -e "$f" ] || continue
    mkdir -p "$here/crashes/$target"
    cp "$f" "$here/crashes/$target/$kind-$(sha1sum "$f" | cut -c1-12)"
  done
done
