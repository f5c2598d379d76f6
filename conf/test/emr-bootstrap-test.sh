#!/usr/bin/env bash
# Tests conf/emr-bootstrap.sh on fake nodes built under temporary --prefix directories: a node
# with an EFA device, one without, one before Spark is installed (the EMR case), plus bad usage
# and shellcheck. Needs no root and no network. Prints PASS/FAIL per check and a summary; exits
# non-zero when any check fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BOOT="$ROOT/conf/emr-bootstrap.sh"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/emr-bootstrap-test.XXXXXX")
WAITERS=() # pid files of background runs this test started
cleanup() {
  local f pid
  for f in ${WAITERS[@]+"${WAITERS[@]}"}; do
    pid=$(cat "$f" 2>/dev/null || true)
    [[ ! $pid =~ ^[0-9]+$ ]] || kill "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

PASS=0 FAIL=0 FAILED=() OUT="" RC=0
check() { # check NAME COMMAND...: record whether COMMAND succeeds
  local name=$1
  shift
  if "$@"; then
    PASS=$((PASS + 1))
    printf 'PASS  %s\n' "$name"
  else
    FAIL=$((FAIL + 1))
    FAILED+=("$name")
    printf 'FAIL  %s\n' "$name"
    printf '%s\n' "---- output of the last run:" "$OUT" "----" | sed 's/^/      /'
  fi
}
run() { # run ARGS...: the bootstrap script; output in OUT, exit status in RC
  RC=0
  OUT=$("$BOOT" "$@" 2>&1) || RC=$?
}
out_has() { [[ $OUT == *"$1"* ]]; }
out_lacks() { [[ $OUT != *"$1"* ]]; }
file_has() { [[ -f $1 ]] && grep -qF -- "$2" "$1"; }
file_lacks() { [[ -f $1 ]] && ! grep -qF -- "$2" "$1"; }
limit_domains() { # FILE: the distinct domains of its memlock lines, sorted, on one line
  awk '!/^#/ && $3 == "memlock" {print $1}' "$1" | LC_ALL=C sort -u | paste -sd' ' -
}
count_lines() { grep -cxF -- "$2" "$1" || true; }
equals() { [[ $1 == "$2" ]]; }
tree_sum() { # every directory, link and file (with its checksum) under a prefix
  (cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
    if [[ -L $f ]]; then
      printf 'L %s -> %s\n' "$f" "$(readlink "$f")"
    elif [[ -d $f ]]; then
      printf 'D %s\n' "$f"
    else
      printf 'F %s %s\n' "$f" "$(cksum <"$f")"
    fi
  done)
}

# ---- fakes --------------------------------------------------------------------------------------
fake_efa_device() { # PREFIX NAME PCI_ID: /sys/class/infiniband/NAME/device/driver -> .../efa
  local p=$1 name=$2 id=$3 pci
  pci="$p/sys/devices/pci0000:00/0000:00:0${#name}.0"
  mkdir -p "$p/sys/bus/pci/drivers/efa" "$pci" "$p/sys/class/infiniband/$name"
  ln -sfn "$p/sys/bus/pci/drivers/efa" "$pci/driver"
  ln -sfn "$pci" "$p/sys/class/infiniband/$name/device"
  echo "$id" >"$pci/device"
}
fake_efa_software() { # PREFIX: the AWS installer's fi_info and libfabric
  mkdir -p "$1/opt/amazon/efa/bin" "$1/opt/amazon/efa/lib64"
  cat >"$1/opt/amazon/efa/bin/fi_info" <<'EOF'
#!/bin/sh
case "$1" in
  --version) printf 'fi_info: 2.1.0amzn3.0\nlibfabric: 2.1.0amzn3.0\nlibfabric api: 2.1\n' ;;
  *) printf 'provider: efa\n    fabric: efa\n    domain: rdmap0s6-rdm\n    type: FI_EP_RDM\n' ;;
esac
EOF
  chmod +x "$1/opt/amazon/efa/bin/fi_info"
  : >"$1/opt/amazon/efa/lib64/libfabric.so.1"
}
fake_proc() { # PREFIX: what the script inspects under /proc
  mkdir -p "$1/proc/sys/vm" "$1/proc/sys/kernel"
  echo 0 >"$1/proc/sys/vm/nr_hugepages"
  echo 6.1.115-126.197.amzn2023.x86_64 >"$1/proc/sys/kernel/osrelease"
}
fake_systemctl() { # PREFIX: records its calls in PREFIX.systemctl (outside the tree we checksum)
  mkdir -p "$1/usr/bin"
  printf '#!/bin/sh\necho "$*" >>"%s.systemctl"\n' "$1" >"$1/usr/bin/systemctl"
  chmod +x "$1/usr/bin/systemctl"
}
fake_jdk() { # PREFIX DIR_NAME JAVA_VERSION [default]: a JDK under /usr/lib/jvm (its release file)
  mkdir -p "$1/usr/lib/jvm/$2/bin"
  printf 'IMPLEMENTOR="Amazon.com Inc."\nJAVA_VERSION="%s"\n' "$3" >"$1/usr/lib/jvm/$2/release"
  [[ ${4:-} != default ]] || ln -sfn "$2" "$1/usr/lib/jvm/java"
}
fake_spark() { # PREFIX [SPARK_CORE_VERSION] [DEFAULT_JDK_VERSION]: an EMR-like Spark install
  local p=$1 v=${2:-2.13-4.2.0} jdk=${3:-25.0.1}
  fake_jdk "$p" "java-${jdk%%.*}-amazon-corretto.x86_64" "$jdk" default
  mkdir -p "$p/usr/lib/spark/conf" "$p/usr/lib/spark/jars"
  : >"$p/usr/lib/spark/jars/spark-core_$v.jar"
  : >"$p/usr/lib/spark/jars/shuffle-efa-0.0.9.jar" # an older plugin version, to be replaced
  cat >"$p/usr/lib/spark/conf/spark-defaults.conf" <<'EOF'
spark.master                     yarn
spark.driver.extraClassPath      /usr/lib/hadoop-lzo/lib/*:/usr/share/aws/emr/emrfs/lib/*
spark.shuffle.service.enabled    true
spark.dynamicAllocation.enabled  true
spark.executor.extraJavaOptions  -XX:+UseG1GC -XX:OnOutOfMemoryError='kill -9 %p'
EOF
}
new_prefix() { mktemp -d "$WORK/node.XXXXXX"; }

# The spark.shuffle.efa.* keys shuffle-efa/README.md documents (its configuration table);
# transport.* is a family.
BT='`' # the README's table rows start with | `key` |
KNOWN_EFA_KEYS=$(sed -n "s/^| $BT\([a-zA-Z.]*\)$BT |.*/\1/p" "$ROOT/shuffle-efa/README.md")
unknown_efa_keys() { # FILE: spark.shuffle.efa.* keys in FILE (also in "#key value" lines) not known
  local key
  sed -n 's/^#\{0,1\}spark\.shuffle\.efa\.\([^[:space:]]*\).*/\1/p' "$1" | while IFS= read -r key; do
    [[ $key == transport.* ]] || grep -qxF -- "$key" <<<"$KNOWN_EFA_KEYS" || printf '%s\n' "$key"
  done
}

JAR="$WORK/dist/shuffle-efa-0.1.0-SNAPSHOT.jar"
mkdir -p "$WORK/dist"
printf 'not really a jar, but bytes to copy\n' >"$JAR"
# A fake aws CLI for s3:// jars: s3://BUCKET/KEY is $WORK/s3/BUCKET/KEY.
mkdir -p "$WORK/bin" "$WORK/s3/bucket/jars"
cp "$JAR" "$WORK/s3/bucket/jars/"
cat >"$WORK/bin/aws" <<EOF
#!/bin/sh
[ "\$1 \$2" = "s3 cp" ] || exit 1
shift 2
[ "\$1" = --only-show-errors ] && shift
cp "$WORK/s3/\${1#s3://}" "\$2"
EOF
chmod +x "$WORK/bin/aws"
export PATH="$WORK/bin:$PATH"

LIMITS=/etc/security/limits.d/90-efa-shuffle.conf
DROPIN=/etc/systemd/system/hadoop-yarn-nodemanager.service.d/90-efa-shuffle.conf
CONF=/usr/lib/spark/conf/spark-defaults.conf
JARS=/usr/lib/spark/jars
STAGED=/usr/share/aws/efa-shuffle/lib/shuffle-efa-0.1.0-SNAPSHOT.jar

# ---- (a) a node with EFA ------------------------------------------------------------------------
echo "== node with EFA (rdmap0s6, PCI 0xefa1)"
A=$(new_prefix)
fake_efa_device "$A" rdmap0s6 0xefa1
fake_efa_software "$A"
fake_proc "$A"
fake_systemctl "$A"
fake_spark "$A"
before=$(tree_sum "$A")
run --dry-run --prefix "$A" --jar "$JAR"
check "efa dry-run exits 0" equals "$RC" 0
check "efa dry-run finds the device" out_has "EFA devices: rdmap0s6 (PCI 0xefa1)"
check "efa dry-run finds the EFA software" out_has "fi_info -p efa offers FI_EP_RDM"
check "efa dry-run: memlock file" out_has "+ write $A$LIMITS"
check "efa dry-run: memlock content" out_has "yarn    hard    memlock    unlimited"
check "efa dry-run: NodeManager drop-in" out_has "+ write $A$DROPIN"
check "efa dry-run: LimitMEMLOCK" out_has "LimitMEMLOCK=infinity"
check "efa dry-run: daemon-reload shown" out_has "+ $A/usr/bin/systemctl daemon-reload"
check "efa dry-run: jar staged" out_has "+ cp $JAR $A$STAGED"
check "efa dry-run: jar into Spark's jars" out_has "+ cp $JAR $A$JARS/shuffle-efa-0.1.0-SNAPSHOT.jar"
check "efa dry-run: old plugin jar removed" out_has "+ rm $A$JARS/shuffle-efa-0.0.9.jar"
check "efa dry-run: spark-defaults written" out_has "+ write $A$CONF"
check "efa dry-run: shuffle manager" out_has "spark.shuffle.manager                            org.apache.spark.shuffle.efa.EfaShuffleManager"
check "efa dry-run: provider efa" out_has "spark.shuffle.efa.provider                       efa"
check "efa dry-run: native access merged" out_has "-XX:OnOutOfMemoryError='kill -9 %p' --enable-native-access=ALL-UNNAMED"
check "efa dry-run changes nothing" equals "$(tree_sum "$A")" "$before"
check "efa dry-run runs no systemctl" test ! -e "$A.systemctl"

run --prefix "$A" --jar "$JAR"
check "efa run exits 0" equals "$RC" 0
# memlock for the default users only (YARN, EMR's login user, Spark's), never for everyone.
for user in yarn hadoop spark; do
  check "efa run: memlock soft for $user" file_has "$A$LIMITS" "$user    soft    memlock    unlimited"
  check "efa run: memlock hard for $user" file_has "$A$LIMITS" "$user    hard    memlock    unlimited"
done
check "efa run: memlock only for those" equals "$(limit_domains "$A$LIMITS")" "hadoop spark yarn"
check "efa run: drop-in [Service]" file_has "$A$DROPIN" "[Service]"
check "efa run: drop-in LimitMEMLOCK" file_has "$A$DROPIN" "LimitMEMLOCK=infinity"
check "efa run: daemon-reload once" equals "$(cat "$A.systemctl" 2>/dev/null)" "daemon-reload"
check "efa run: jar staged" cmp -s "$JAR" "$A$STAGED"
check "efa run: jar in Spark's jars" cmp -s "$JAR" "$A$JARS/shuffle-efa-0.1.0-SNAPSHOT.jar"
check "efa run: old jar gone" test ! -e "$A$JARS/shuffle-efa-0.0.9.jar"
C="$A$CONF"
check "efa run: EMR lines kept" file_has "$C" "spark.driver.extraClassPath      /usr/lib/hadoop-lzo/lib/*"
check "efa run: one block" equals "$(count_lines "$C" "# BEGIN efa-shuffle")/$(count_lines "$C" "# END efa-shuffle")" "1/1"
check "efa run: block is last" equals "$(tail -n1 "$C")" "# END efa-shuffle"
for kv in "spark.shuffle.manager org.apache.spark.shuffle.efa.EfaShuffleManager" \
  "spark.shuffle.sort.io.plugin.class org.apache.spark.shuffle.efa.EfaShuffleDataIO" \
  "spark.shuffle.efa.provider efa" "spark.shuffle.efa.buffer.budget 1g" \
  "spark.shuffle.efa.fallback.enabled true" "spark.shuffle.service.enabled false" \
  "spark.dynamicAllocation.shuffleTracking.enabled true" "spark.executor.minMemoryOverhead 1472m" \
  "spark.executorEnv.FI_EFA_FORK_SAFE 1" \
  "spark.executorEnv.EFA_SHUFFLE_LIBFABRIC /opt/amazon/efa/lib64/libfabric.so.1" \
  "spark.executor.extraJavaOptions -XX:+UseG1GC -XX:OnOutOfMemoryError='kill -9 %p' --enable-native-access=ALL-UNNAMED"; do
  key=${kv%% *} value=${kv#* }
  got=$(sed -n "/^# BEGIN efa-shuffle\$/,/^# END efa-shuffle\$/s/^${key}[[:space:]][[:space:]]*//p" "$C")
  check "efa run: $key" equals "$got" "$value"
done
check "efa run: no LD_PRELOAD (the plugin keeps the JVM's signal handlers)" file_lacks "$C" "LD_PRELOAD"
check "efa run: default JDK 25, no JAVA_HOME set" file_lacks "$C" "JAVA_HOME"
# 0xefa1: left to libfabric (uses device RDMA read where the hardware has it).
check "efa run: FI_EFA_USE_DEVICE_RDMA unset on 0xefa1" file_lacks "$C" "spark.executorEnv.FI_EFA_USE_DEVICE_RDMA"
# Only keys the plugin knows (it rejects unknown spark.shuffle.efa.* keys at start).
check "efa run: only documented spark.shuffle.efa keys" equals "$(unknown_efa_keys "$C")" ""

sum1=$(tree_sum "$A")
run --prefix "$A" --jar "$JAR"
check "efa rerun exits 0" equals "$RC" 0
check "efa rerun changes no file" equals "$(tree_sum "$A")" "$sum1"
check "efa rerun says unchanged (limits)" out_has "unchanged $A$LIMITS"
check "efa rerun says unchanged (drop-in)" out_has "unchanged $A$DROPIN"
check "efa rerun says unchanged (spark-defaults)" out_has "unchanged $A$CONF"
check "efa rerun says unchanged (jar)" out_has "unchanged $A$JARS/shuffle-efa-0.1.0-SNAPSHOT.jar"
check "efa rerun: 0 changed" out_has "done: 0 changed"
check "efa rerun: no second daemon-reload" equals "$(wc -l <"$A.systemctl")" 1

# A changed setting replaces the block, it is not appended.
run --prefix "$A" --jar "$JAR" --budget 2g --device-rdma on
check "efa budget change exits 0" equals "$RC" 0
check "efa budget change: still one block" equals "$(count_lines "$C" "# BEGIN efa-shuffle")" 1
check "efa budget change: new budget" file_has "$C" "2g"
check "efa budget change: overhead floor follows" file_has "$C" "2496m"
check "efa budget change: --device-rdma on" file_has "$C" "spark.executorEnv.FI_EFA_USE_DEVICE_RDMA"
check "efa budget change: native access once" equals "$(grep '^spark\.executor\.extraJavaOptions' "$C" | tail -n1 | grep -o -- --enable-native-access=ALL-UNNAMED | wc -l)" 1
check "efa budget change: limits untouched" out_has "unchanged $A$LIMITS"

# --memlock-users replaces the list (users and @groups, duplicates once); the file is rewritten.
run --prefix "$A" --jar "$JAR" --memlock-users "@sparkusers,alice,alice"
check "memlock users exits 0" equals "$RC" 0
check "memlock users: file rewritten" out_has "+ write $A$LIMITS"
check "memlock users: exactly the given domains" equals "$(limit_domains "$A$LIMITS")" "@sparkusers alice"
check "memlock users: soft and hard for @group" equals "$(grep -c '^@sparkusers ' "$A$LIMITS")" 2
check "memlock users: drop-in untouched" out_has "unchanged $A$DROPIN"
# A node bootstrapped by the old script (memlock for '*') loses the '*' lines on the next run.
printf '*    soft    memlock    unlimited\n*    hard    memlock    unlimited\n' >"$A$LIMITS"
run --prefix "$A" --jar "$JAR"
check "memlock upgrade: '*' lines gone" equals "$(limit_domains "$A$LIMITS")" "hadoop spark yarn"

# ---- (a2) EFA from PCI id 0xefa2, jar from S3, no EFA software yet ------------------------------
echo "== node with EFA (0xefa2), jar from s3://, EFA software missing"
A2=$(new_prefix)
fake_efa_device "$A2" rdmap0s31 0xefa2
fake_proc "$A2"
fake_spark "$A2"
run --prefix "$A2" --jar s3://bucket/jars/shuffle-efa-0.1.0-SNAPSHOT.jar
check "s3 run exits 0" equals "$RC" 0
check "s3 run: aws s3 cp used" out_has "+ aws s3 cp s3://bucket/jars/shuffle-efa-0.1.0-SNAPSHOT.jar"
check "s3 run: jar staged" cmp -s "$JAR" "$A2$STAGED"
check "s3 run: install command printed" out_has "sudo ./efa_installer.sh -y"
check "s3 run: installer URL printed" out_has "https://efa-installer.amazonaws.com/aws-efa-installer-latest.tar.gz"
check "s3 run: no systemctl under prefix" out_has "skip systemctl daemon-reload"
check "s3 run: device RDMA on for 0xefa2" file_has "$A2$CONF" "spark.executorEnv.FI_EFA_USE_DEVICE_RDMA         1"
check "s3 run: no libfabric path without EFA software" file_lacks "$A2$CONF" "EFA_SHUFFLE_LIBFABRIC"
sum1=$(tree_sum "$A2")
run --prefix "$A2" --jar s3://bucket/jars/shuffle-efa-0.1.0-SNAPSHOT.jar
check "s3 rerun changes no file" equals "$(tree_sum "$A2")" "$sum1"
check "s3 rerun: jar unchanged" out_has "unchanged $A2$STAGED"

# ---- (b) a node without EFA ---------------------------------------------------------------------
echo "== node without EFA (a soft-RoCE device only)"
B=$(new_prefix)
mkdir -p "$B/sys/class/infiniband/rxe0/device" "$B/sys/bus/pci/drivers/rdma_rxe"
ln -s "$B/sys/bus/pci/drivers/rdma_rxe" "$B/sys/class/infiniband/rxe0/device/driver"
fake_proc "$B"
fake_systemctl "$B"
fake_spark "$B"
before=$(tree_sum "$B")
run --dry-run --prefix "$B" --jar "$JAR"
check "no-efa dry-run exits 0" equals "$RC" 0
check "no-efa dry-run: says no EFA device" out_has "This node has no EFA device"
check "no-efa dry-run: launch-time advice" out_has "cannot be attached to a running instance"
check "no-efa dry-run: security group advice" out_has "security group that allows all traffic to and from itself"
check "no-efa dry-run: placement group advice" out_has "cluster placement group"
check "no-efa dry-run: not enabled" out_has "efa-shuffle NOT enabled"
check "no-efa dry-run: no memlock file" out_lacks "$LIMITS"
check "no-efa dry-run: no drop-in" out_lacks "$DROPIN"
check "no-efa dry-run: no shuffle manager line" out_lacks "spark.shuffle.manager                            "
check "no-efa dry-run changes nothing" equals "$(tree_sum "$B")" "$before"
run --prefix "$B" --jar "$JAR"
check "no-efa run exits 0" equals "$RC" 0
check "no-efa run: block says built-in shuffle" file_has "$B$CONF" "Spark's built-in sort shuffle is used"
check "no-efa run: no active shuffle manager" equals "$(grep -c '^spark\.shuffle\.manager' "$B$CONF" || true)" 0
check "no-efa run: shuffle service left as EMR set it" equals "$(grep '^spark\.shuffle\.service\.enabled' "$B$CONF")" "spark.shuffle.service.enabled    true"
check "no-efa run: no memlock file" test ! -e "$B$LIMITS"
check "no-efa run: no daemon-reload" test ! -e "$B.systemctl"
check "no-efa run: jar still placed (per-job opt-in)" cmp -s "$JAR" "$B$JARS/shuffle-efa-0.1.0-SNAPSHOT.jar"
sum1=$(tree_sum "$B")
run --prefix "$B" --jar "$JAR"
check "no-efa rerun changes no file" equals "$(tree_sum "$B")" "$sum1"
check "no-efa rerun: 0 changed" out_has "done: 0 changed"
# --provider efa (a primary node without EFA whose core nodes have it) enables it anyway.
run --prefix "$B" --jar "$JAR" --provider efa
check "no-efa --provider efa: enabled" file_has "$B$CONF" "spark.shuffle.efa.provider                       efa"
check "no-efa --provider efa: says why" out_has "Provider efa was given"
check "no-efa --provider efa: still no memlock file" test ! -e "$B$LIMITS"

# ---- safety gates: wrong Spark, no jar ----------------------------------------------------------
echo "== Spark 3.5 (EMR 7) and a missing jar"
S=$(new_prefix)
fake_efa_device "$S" rdmap0s6 0xefa1
fake_spark "$S" 2.12-3.5.1-amzn-0
rm "$S$JARS/shuffle-efa-0.0.9.jar"
run --prefix "$S" --jar "$JAR"
check "spark 3.5: exits 0" equals "$RC" 0
check "spark 3.5: not enabled" file_lacks "$S$CONF" "spark.shuffle.manager "
check "spark 3.5: says why" out_has "Spark 3.5.1-amzn-0 (Scala 2.12) on JDK 25"
check "spark 3.5: names what is needed" out_has "the plugin needs Spark 4.2+ with Scala 2.13 on JDK 25"

echo "== EMR 8 (Spark 4.0.2 on JDK 17), and Spark 4.2 on nodes whose default JDK is older"
E8=$(new_prefix)
fake_efa_device "$E8" rdmap0s6 0xefa1
fake_spark "$E8" 2.13-4.0.2-amzn-0 17.0.16
run --prefix "$E8" --jar "$JAR"
check "emr 8: exits 0" equals "$RC" 0
check "emr 8: not enabled" file_lacks "$E8$CONF" "spark.shuffle.manager "
check "emr 8: one line says why" equals "$(grep -c 'efa-shuffle NOT enabled: Spark 4.0.2-amzn-0 (Scala 2.13) on JDK 17 (/usr/lib/jvm/java): the plugin needs Spark 4.2+ on JDK 25, and Spark 4.0.2-amzn-0 cannot run on JDK 25' <<<"$OUT")" 1
check "emr 8: the block says why" file_has "$E8$CONF" "# efa-shuffle is NOT enabled: Spark 4.0.2-amzn-0 (Scala 2.13) on JDK 17"
J=$(new_prefix)
fake_efa_device "$J" rdmap0s6 0xefa1
fake_spark "$J" 2.13-4.2.0 17.0.16
fake_jdk "$J" java-21-amazon-corretto.x86_64 21.0.8
fake_jdk "$J" java-25-amazon-corretto.x86_64 25.0.1
run --prefix "$J" --jar "$JAR"
check "older default JDK, JDK 25 installed: enabled" file_has "$J$CONF" "spark.shuffle.manager "
check "older default JDK: executors get JDK 25" file_has "$J$CONF" "spark.executorEnv.JAVA_HOME                      /usr/lib/jvm/java-25-amazon-corretto.x86_64"
check "older default JDK: the application master gets JDK 25" file_has "$J$CONF" "spark.yarn.appMasterEnv.JAVA_HOME                /usr/lib/jvm/java-25-amazon-corretto.x86_64"
check "older default JDK: client-mode drivers told" out_has "export JAVA_HOME=/usr/lib/jvm/java-25-amazon-corretto.x86_64"
J2=$(new_prefix)
fake_efa_device "$J2" rdmap0s6 0xefa1
fake_spark "$J2" 2.13-4.2.0 21.0.8
run --prefix "$J2" --jar "$JAR"
check "no JDK 25: not enabled" file_lacks "$J2$CONF" "spark.shuffle.manager "
check "no JDK 25: says why" out_has "efa-shuffle NOT enabled: Spark 4.2.0 runs on JDK 21 (/usr/lib/jvm/java) here and no JDK 25 is installed under /usr/lib/jvm"
N=$(new_prefix)
fake_efa_device "$N" rdmap0s6 0xefa1
fake_spark "$N"
rm "$N$JARS/shuffle-efa-0.0.9.jar"
run --prefix "$N"
check "no jar: exits 0" equals "$RC" 0
check "no jar: not enabled" file_lacks "$N$CONF" "spark.shuffle.manager "
check "no jar: says pass --jar" out_has "pass --jar"

# ---- (c) EMR order: Spark installed after the bootstrap action ---------------------------------
echo "== Spark installed after the bootstrap action (background run)"
W=$(new_prefix)
fake_efa_device "$W" rdmap0s6 0xefa1
fake_efa_software "$W"
fake_proc "$W"
WAITERS+=("$W/run/efa-shuffle-bootstrap.pid")
RC=0
OUT=$(EFA_BOOTSTRAP_POLL=1 "$BOOT" --prefix "$W" --jar "$JAR" --memlock-users yarn,@emrusers --wait 60 2>&1) || RC=$?
check "deferred run exits 0" equals "$RC" 0
check "deferred run: says Spark is not installed yet" out_has "Spark is not installed yet"
check "deferred run: background run started" out_has "+ background: $W/usr/share/aws/efa-shuffle/emr-bootstrap.sh"
check "deferred run: memlock done now" test -f "$W$LIMITS"
check "deferred run: script staged" cmp -s "$BOOT" "$W/usr/share/aws/efa-shuffle/emr-bootstrap.sh"
sleep 2
fake_spark "$W" # "EMR installs Spark"
for _ in $(seq 1 40); do
  if grep -qxF "# END efa-shuffle" "$W$CONF" 2>/dev/null && [[ ! -e $W/run/efa-shuffle-bootstrap.pid ]]; then break; fi
  sleep 1
done
OUT=$(cat "$W/var/log/efa-shuffle-bootstrap.log" 2>/dev/null || true)
check "deferred: background run applied the block" file_has "$W$CONF" "spark.shuffle.manager                            org.apache.spark.shuffle.efa.EfaShuffleManager"
check "deferred: jar placed in Spark's jars" cmp -s "$JAR" "$W$JARS/shuffle-efa-0.1.0-SNAPSHOT.jar"
check "deferred: background run finished" test ! -e "$W/run/efa-shuffle-bootstrap.pid"
check "deferred: log says applied" out_has "Spark is installed; applying"
check "deferred: background run kept --memlock-users" equals "$(limit_domains "$W$LIMITS")" "@emrusers yarn"

# ---- bad usage exits 2 --------------------------------------------------------------------------
echo "== bad usage"
U=$(new_prefix)
for args in "--bogus" "--provider" "--provider ib" "--budget lots" "--device-rdma maybe" "--wait soon" \
  "--jar $WORK/dist/other.jar" "--jar $WORK/dist/shuffle-efa-9.jar" "--prefix $WORK/nonexistent" \
  "--spark-home relative/spark" "positional" "--memlock-users *" "--memlock-users yarn,*" \
  "--memlock-users yarn:hadoop" "--memlock-users 1000:" "--memlock-users %admins" "--memlock-users yarn," \
  "--memlock-users @" "--memlock-users #yarn" "--memlock-users="; do
  read -r -a argv <<<"$args"
  run --prefix "$U" "${argv[@]}"
  check "bad usage '$args' exits 2" equals "$RC" 2
done
run --prefix "$U" --bogus
check "bad usage message names the argument" out_has "unknown argument '--bogus'"
run --prefix "$U" --memlock-users "yarn,*"
check "bad --memlock-users: message names the entry" out_has "--memlock-users: '*' is not a user name or @group"
run --prefix "$U" --memlock-users "yarn spark"
check "bad --memlock-users: blank refused" equals "$RC" 2
run --help
check "--help exits 0" equals "$RC" 0
check "--help documents --dry-run" out_has "--dry-run"

# ---- the template ------------------------------------------------------------------------------
echo "== spark-defaults.conf.template"
T="$ROOT/conf/spark-defaults.conf.template"
OUT=$(unknown_efa_keys "$T")
check "template: README documents the spark.shuffle.efa keys" test "$(wc -l <<<"$KNOWN_EFA_KEYS")" -ge 12
check "template: only documented spark.shuffle.efa keys" equals "$OUT" ""
for key in spark.shuffle.manager spark.shuffle.sort.io.plugin.class spark.shuffle.efa.provider \
  spark.shuffle.efa.buffer.budget spark.shuffle.efa.nics spark.shuffle.efa.receive.poolSize \
  spark.shuffle.efa.reader.maxBytesInFlight spark.executor.extraJavaOptions spark.shuffle.service.enabled \
  spark.executorEnv.FI_EFA_USE_DEVICE_RDMA spark.executorEnv.FI_EFA_FORK_SAFE \
  spark.serializer spark.executor.minMemoryOverhead; do
  check "template: has $key" grep -qE "^#?${key}[[:space:]]" "$T"
done
# The plugin keeps the JVM's signal handlers itself: no one should be told to preload libjsig.
check "template: no LD_PRELOAD setting" file_lacks "$T" "spark.executorEnv.LD_PRELOAD"

# ---- shellcheck ---------------------------------------------------------------------------------
if command -v shellcheck >/dev/null; then
  OUT=$(shellcheck "$BOOT" "$SELF" 2>&1) && RC=0 || RC=$?
  check "shellcheck emr-bootstrap.sh and this test" equals "$RC" 0
elif [[ -n ${CI:-} ]]; then
  OUT="shellcheck is not installed (apt-get install -y shellcheck)"
  check "shellcheck installed (CI is set)" false
else
  echo "SKIP  shellcheck (not installed; apt-get install -y shellcheck)"
fi

echo
if ((FAIL)); then
  printf 'emr-bootstrap-test: FAIL (%d passed, %d failed)\n' "$PASS" "$FAIL"
  printf '  failed: %s\n' "${FAILED[@]}"
  exit 1
fi
printf 'emr-bootstrap-test: PASS (%d checks)\n' "$PASS"
