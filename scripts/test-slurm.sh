#!/usr/bin/env bash
# Runs `radiomics batch` as a Slurm job array on a real one-node Slurm cluster started here (Debian's slurm-wlm
# and munge, as root), merges the shards, and checks that the tables equal a single run's. Everything it starts
# is stopped at the end.
#
#   scripts/test-slurm.sh [RADIOMICS_BINARY]      default: .build/debug/radiomics
#
# Exit 0: equal tables. Exit 77: Slurm cannot be started here (not installed, not root): skipped, with the reason.
# Other: a failure, with what differed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$(cd "$(dirname "${1:-$root/.build/debug/radiomics}")" && pwd)/$(basename "${1:-$root/.build/debug/radiomics}")"
skip() { echo "test-slurm: skipped: $*" >&2; exit 77; }
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null \
    || skip "slurm-wlm and munge are not installed (apt-get install slurm-wlm munge)"
[ "$(id -u)" -eq 0 ] || skip "starting slurmctld and slurmd needs root"
[ -x "$bin" ] || { echo "test-slurm: $bin not found (swift build first)" >&2; exit 1; }

work="$(mktemp -d /tmp/radiomics-slurm-XXXXXX)"
host="$(hostname -s)"
cpus="$(nproc)"
memory="$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)"
mkdir -p "$work"/{state,spool,log,munge,run}
chmod 700 "$work/munge"
cleanup() {
    # Every daemon of this test names its folder on its command line.
    pkill -TERM -f "$work" 2>/dev/null
    for _ in $(seq 20); do pgrep -f "$work" >/dev/null || break; sleep 0.5; done
    pkill -KILL -f "$work" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# munge: a key of this test's own, its own socket.
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
# The daemons' standard streams go to /dev/null: a caller reading this script's output must not wait for them.
munged --force --key-file="$work/munge/munge.key" --socket="$socket" --pid-file="$work/run/munged.pid" \
    --log-file="$work/log/munged.log" --seed-file="$work/munge/seed" </dev/null >/dev/null 2>&1 || skip "munged does not start: $(tail -2 "$work/log/munged.log" 2>/dev/null)"

cat >"$work/slurm.conf" <<EOF
ClusterName=radiomics-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF" </dev/null >/dev/null 2>&1 || skip "slurmctld does not start: $(tail -3 "$work/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" </dev/null >/dev/null 2>&1 || skip "slurmd does not start: $(tail -3 "$work/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break
    sleep 1
done
sinfo -h -o %T 2>/dev/null | grep -qE '^idle' || skip "the node does not come up: $(sinfo 2>&1 | tail -2); $(tail -3 "$work/log/slurmd.log")"

# The job array of the README, on the sample scans, three shards.
out="$work/results"
cat >"$work/batch.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=radiomics-test --cpus-per-task=1 --output=$work/log/task-%a.out
"$bin" batch "$root/sample-scans/manifest.csv" --clinical "$root/sample-scans/clinical.csv" --output "$out" --workers 1
EOF
job="$(sbatch --parsable --array=1-3 "$work/batch.sbatch")" || { echo "test-slurm: sbatch failed" >&2; exit 1; }
echo "test-slurm: job array $job submitted" >&2
for _ in $(seq 300); do
    [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
    sleep 1
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || { echo "test-slurm: the job array did not finish in 300 s" >&2; squeue >&2; exit 1; }
cat "$work"/log/task-*.out >&2
status=0
for k in 1 2 3; do
    [ -f "$out/shard-$k-of-3/status.csv" ] || { echo "test-slurm: shard $k/3 wrote no tables" >&2; status=1; }
done
[ $status -eq 0 ] || exit 1
"$bin" merge "$out"/shard-*-of-3 --output "$work/merged" || exit 1
"$bin" batch "$root/sample-scans/manifest.csv" --clinical "$root/sample-scans/clinical.csv" --output "$work/single" --workers 2 2>/dev/null || exit 1
for t in features.csv vascularization.csv ptace.csv; do
    cmp -s "$work/merged/$t" "$work/single/$t" || { echo "test-slurm: $t of the merged shards differs from the single run" >&2; status=1; }
done
diff <(cut -d, -f1-2 "$work/merged/status.csv") <(cut -d, -f1-2 "$work/single/status.csv") >&2 || status=1
[ $status -eq 0 ] && echo "test-slurm: 3 shards run by Slurm ($job) merge to the single run's tables" >&2
exit $status
