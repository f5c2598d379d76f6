#!/usr/bin/env bash
# Amazon EMR bootstrap action for the EFA shuffle plugin (shuffle-efa). See conf/README.md.
#
# Usage: emr-bootstrap.sh [--jar PATH|s3://URI] [--provider P] [--budget SIZE] [--device-rdma M]
#                         [--memlock-users LIST] [--spark-home DIR] [--wait SECONDS] [--dry-run]
#                         [--prefix DIR] [--help]
#
#   --jar J          the plugin jar shuffle-efa-<version>.jar, a local path or s3:// (aws s3 cp).
#                    Staged in /usr/share/aws/efa-shuffle/lib/, copied into <spark-home>/jars/.
#   --provider P     auto (default), efa, tcp, shm, sockets. auto: enable the plugin with provider
#                    efa when this node has an EFA device, else leave Spark's built-in shuffle on.
#                    Give efa explicitly on a primary node without EFA whose core nodes have it.
#   --budget SIZE    spark.shuffle.efa.buffer.budget (default 1g; 0 = map outputs in files only)
#   --device-rdma M  auto (default), on, off: spark.executorEnv.FI_EFA_USE_DEVICE_RDMA (see README)
#   --memlock-users LIST
#                    users and @groups, comma-separated, whose login sessions get memlock
#                    unlimited on EFA nodes (default yarn,hadoop,spark; see README). Executors get
#                    it from the NodeManager's systemd drop-in, whichever user they run as.
#   --spark-home D   Spark installation (default /usr/lib/spark): conf/spark-defaults.conf, jars/
#   --wait SECONDS   EMR runs bootstrap actions before it installs Spark: if Spark is not there
#                    yet, finish the Spark part in the background once EMR has written
#                    spark-defaults.conf, for up to SECONDS (default 3600; 0 = do not wait)
#   --dry-run        inspect the node and print every action ("+ ...") without doing it
#   --prefix DIR     resolve every system path under DIR (tests fake a node there); no sudo,
#                    systemctl only if DIR/usr/bin/systemctl exists
#   --help           this text
#
# Idempotent: files are rewritten only when their content differs ("unchanged FILE" otherwise);
# the Spark settings live in one block "# BEGIN efa-shuffle" ... "# END efa-shuffle" at the end
# of spark-defaults.conf, replaced on every run. Exit status: 0 done, 1 failed, 2 bad usage.
set -euo pipefail

readonly MARK_BEGIN='# BEGIN efa-shuffle'
readonly MARK_END='# END efa-shuffle'
readonly STAGE_DIR=/usr/share/aws/efa-shuffle
readonly LIMITS_FILE=/etc/security/limits.d/90-efa-shuffle.conf
# Only the NodeManager: YARN containers (the executors) inherit its limits; limits.d covers
# PAM logins only, never systemd services.
readonly NM_DROPIN=/etc/systemd/system/hadoop-yarn-nodemanager.service.d/90-efa-shuffle.conf
readonly LOG_FILE=/var/log/efa-shuffle-bootstrap.log
readonly PID_FILE=/run/efa-shuffle-bootstrap.pid
readonly MANAGER_CLASS=org.apache.spark.shuffle.efa.EfaShuffleManager
readonly IO_CLASS=org.apache.spark.shuffle.efa.EfaShuffleDataIO
readonly NATIVE_ACCESS=--enable-native-access=ALL-UNNAMED
readonly RECEIVE_POOL_MIB=64 # spark.shuffle.efa.receive.poolSize default, registered at start too
readonly SPARK_MIN_OVERHEAD_MIB=384
readonly INSTALLER_URL=https://efa-installer.amazonaws.com/aws-efa-installer-latest.tar.gz

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ORIG_ARGS=("$@")

DRY_RUN=0 PREFIX="" JAR="" PROVIDER=auto BUDGET=1g DEVICE_RDMA=auto SPARK_HOME_DIR=/usr/lib/spark
MEMLOCK_USERS=yarn,hadoop,spark
WAIT=3600 WAIT_FOR_SPARK=""

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; }
usage_error() {
  printf 'emr-bootstrap.sh: %s\n(see emr-bootstrap.sh --help)\n' "$*" >&2
  exit 2
}
die() { printf 'emr-bootstrap.sh: ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*"; }

set_opt() {
  local name=$1 value=$2
  [[ -n $value && $value != -* ]] || usage_error "$name needs a value"
  case $name in
    --prefix) PREFIX=$value ;;
    --jar) JAR=$value ;;
    --provider) PROVIDER=$value ;;
    --budget) BUDGET=$value ;;
    --device-rdma) DEVICE_RDMA=$value ;;
    --memlock-users) MEMLOCK_USERS=$value ;;
    --spark-home) SPARK_HOME_DIR=$value ;;
    --wait) WAIT=$value ;;
    --wait-for-spark) WAIT_FOR_SPARK=$value ;; # internal: the background run
  esac
}

while (($#)); do
  case $1 in
    --dry-run) DRY_RUN=1 ;;
    -h | --help) usage; exit 0 ;;
    --prefix | --jar | --provider | --budget | --device-rdma | --memlock-users | --spark-home | --wait | --wait-for-spark)
      (($# >= 2)) || usage_error "$1 needs a value"
      set_opt "$1" "$2"
      shift ;;
    --prefix=* | --jar=* | --provider=* | --budget=* | --device-rdma=* | --memlock-users=* | --spark-home=* | --wait=* | --wait-for-spark=*)
      set_opt "${1%%=*}" "${1#*=}" ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
  shift
done

# ---- validate ---------------------------------------------------------------------------------
case $PROVIDER in auto | efa | tcp | shm | sockets) ;; *) usage_error "--provider must be auto, efa, tcp, shm or sockets, not '$PROVIDER'" ;; esac
case $DEVICE_RDMA in auto | on | off) ;; *) usage_error "--device-rdma must be auto, on or off, not '$DEVICE_RDMA'" ;; esac
[[ $BUDGET =~ ^([0-9]+)([kKmMgGtT]?)[bB]?$ ]] || usage_error "--budget must be a size such as 512m, 1g or 0, not '$BUDGET'"
BUDGET_NUM=$((10#${BASH_REMATCH[1]})) BUDGET_UNIT=${BASH_REMATCH[2],,}
# One limits.conf domain per entry: a user or @group. Not '*' (everyone, what this replaces), '%'
# (maxlogins only), ranges with ':', or anything with blanks or '#', which would split or end the line.
MEMLOCK_DOMAINS=()
IFS=, read -r -a memlock_entries <<<"$MEMLOCK_USERS,"
for entry in "${memlock_entries[@]}"; do
  [[ -n $entry ]] || usage_error "--memlock-users '$MEMLOCK_USERS' has an empty entry; list users and @groups comma-separated"
  [[ $entry =~ ^@?[A-Za-z_][A-Za-z0-9_.-]{0,31}$ ]] ||
    usage_error "--memlock-users: '$entry' is not a user name or @group (letters, digits, _ . -, not starting with a digit, at most 32 characters; list them comma-separated, no '*')"
  [[ " ${MEMLOCK_DOMAINS[*]-} " == *" $entry "* ]] || MEMLOCK_DOMAINS+=("$entry")
done
[[ $WAIT =~ ^[0-9]+$ ]] || usage_error "--wait must be a number of seconds, not '$WAIT'"
[[ -z $WAIT_FOR_SPARK || $WAIT_FOR_SPARK =~ ^[0-9]+$ ]] || usage_error "--wait-for-spark must be a number of seconds"
[[ $SPARK_HOME_DIR == /* ]] || usage_error "--spark-home must be an absolute path, not '$SPARK_HOME_DIR'"
SPARK_HOME_DIR=${SPARK_HOME_DIR%/}
if [[ -n $PREFIX ]]; then
  [[ -d $PREFIX ]] || usage_error "--prefix $PREFIX is not a directory"
  PREFIX="$(cd "$PREFIX" && pwd)"
  [[ $PREFIX != / ]] || PREFIX=""
fi
if [[ -n $JAR ]]; then
  [[ ${JAR##*/} == shuffle-efa-*.jar ]] || usage_error "--jar must name the plugin jar shuffle-efa-<version>.jar, not '$JAR'"
  if [[ $JAR != s3://* ]]; then
    [[ -f $JAR && -r $JAR ]] || usage_error "--jar $JAR: no such readable file"
    JAR="$(cd "$(dirname "$JAR")" && pwd)/${JAR##*/}"
  fi
fi
POLL=${EFA_BOOTSTRAP_POLL:-10} # seconds between checks of the background run (tests shorten it)
[[ $POLL =~ ^[1-9][0-9]*$ ]] || usage_error "EFA_BOOTSTRAP_POLL must be a positive number of seconds"

# EMR runs bootstrap actions as the hadoop user, with passwordless sudo.
if ((EUID != 0)) && [[ -z $PREFIX ]] && ((!DRY_RUN)); then
  command -v sudo >/dev/null || die "must run as root (or with --dry-run / --prefix)"
  exec sudo -n -- bash "$SELF" ${ORIG_ARGS[@]+"${ORIG_ARGS[@]}"} # bash: the copy may lack +x
fi

# ---- helpers ----------------------------------------------------------------------------------
p() { printf '%s%s' "$PREFIX" "$1"; } # a system path, under --prefix when given

jdk_major() { # JDK_DIR: its feature version from the release file (8 for 1.8.0_x), or nothing
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" 2>/dev/null | head -n1)
  [[ $v != 1.* ]] || v=${v#1.}
  [[ $v =~ ^([0-9]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
}
default_jdk() { # the JDK this node's Hadoop and Spark run with unless told otherwise (system path)
  local d=/usr/lib/jvm/java java
  if [[ -e $(p "$d")/release ]]; then printf '%s' "$d"; return; fi
  if [[ -z $PREFIX ]] && java=$(command -v java); then
    java=$(readlink -f "$java")
    printf '%s' "${java%/bin/java}"
  fi
}
newest_jdk() { # MIN: the newest JDK of at least feature version MIN under /usr/lib/jvm (system path)
  local d major best="" best_major=0
  for d in "$(p /usr/lib/jvm)"/*; do
    [[ -d $d && ! -L $d ]] || continue
    major=$(jdk_major "$d")
    if [[ -n $major ]] && ((major >= $1 && major > best_major)); then
      best=${d#"$PREFIX"} best_major=$major
    fi
  done
  printf '%s' "$best"
}
CHANGED=0 UNCHANGED=0 WROTE=0
TMP_FILES=()
cleanup() { if ((${#TMP_FILES[@]})); then rm -f "${TMP_FILES[@]}"; fi; }
trap cleanup EXIT

ensure_dir() {
  [[ -d $1 ]] && return 0
  say "+ mkdir -p $1"
  ((DRY_RUN)) || mkdir -p "$1"
}

# put_file DEST MODE CONTENT: write CONTENT unless DEST already holds exactly it. WROTE=1 if written.
put_file() {
  local dest=$1 mode=$2 content=$3
  WROTE=0
  if [[ -f $dest ]] && printf '%s' "$content" | cmp -s - "$dest"; then
    say "unchanged $dest"
    UNCHANGED=$((UNCHANGED + 1))
    return 0
  fi
  ensure_dir "$(dirname "$dest")"
  say "+ write $dest"
  if ((DRY_RUN)); then
    printf '%s' "$content" | sed 's/^/    | /'
  else
    # '>' keeps an existing file's inode, owner and symlinks (EMR links Spark's conf dir).
    printf '%s' "$content" >"$dest"
    [[ -z $mode ]] || chmod "$mode" "$dest"
  fi
  WROTE=1 CHANGED=$((CHANGED + 1))
}

# put_copy SRC DEST MODE: copy unless DEST has the same bytes.
put_copy() {
  local src=$1 dest=$2 mode=$3
  if [[ -f $src && -f $dest ]] && cmp -s "$src" "$dest"; then
    say "unchanged $dest"
    UNCHANGED=$((UNCHANGED + 1))
    return 0
  fi
  ensure_dir "$(dirname "$dest")"
  say "+ cp $src $dest"
  if ((!DRY_RUN)); then
    cp "$src" "$dest"
    chmod "$mode" "$dest"
  fi
  CHANGED=$((CHANGED + 1))
}

remove_file() {
  say "+ rm $1"
  ((DRY_RUN)) || rm -f "$1"
  CHANGED=$((CHANGED + 1))
}

# Size in MiB, rounded up, of the validated --budget.
budget_mib() {
  local n=$BUDGET_NUM
  case $BUDGET_UNIT in
    '') echo $(((n + 1048575) / 1048576)) ;;
    k) echo $(((n + 1023) / 1024)) ;;
    m) echo "$n" ;;
    g) echo $((n * 1024)) ;;
    t) echo $((n * 1048576)) ;;
  esac
}

# ---- background run: wait until EMR has installed Spark, then do everything (idempotent) ------
if [[ -n $WAIT_FOR_SPARK ]]; then
  conf=$(p "$SPARK_HOME_DIR/conf/spark-defaults.conf") jars=$(p "$SPARK_HOME_DIR/jars")
  mkdir -p "$(dirname "$(p "$PID_FILE")")"
  echo $$ >"$(p "$PID_FILE")"
  waiter_exit() {
    cleanup
    [[ "$(cat "$(p "$PID_FILE")" 2>/dev/null)" != "$$" ]] || rm -f "$(p "$PID_FILE")"
  }
  trap waiter_exit EXIT
  say "$(date '+%F %T') waiting up to ${WAIT_FOR_SPARK}s for $conf and $jars"
  deadline=$((SECONDS + WAIT_FOR_SPARK)) last="" same=0
  # Settled: the file is unchanged over three checks, so EMR is done writing it.
  while ((same < 2)); do
    ((SECONDS < deadline)) || die "Spark did not appear within ${WAIT_FOR_SPARK}s; rerun $SELF by hand"
    sleep "$POLL"
    if [[ -f $conf && -d $jars ]]; then
      sum=$(cksum <"$conf")
      if [[ $sum == "$last" ]]; then same=$((same + 1)); else same=0 last=$sum; fi
    fi
  done
  say "$(date '+%F %T') Spark is installed; applying"
  WAIT=0
fi

# ---- inspect the node (also under --dry-run) --------------------------------------------------
if ((DRY_RUN)); then say "efa-shuffle bootstrap (dry run${PREFIX:+, prefix $PREFIX})"; else say "efa-shuffle bootstrap${PREFIX:+ (prefix $PREFIX)}"; fi

EFA_DEVS=() EFA_IDS=()
for dev in "$(p /sys/class/infiniband)"/*; do
  [[ -e $dev ]] || continue
  name=${dev##*/} driver=""
  if [[ -L $dev/device/driver ]]; then driver=$(readlink "$dev/device/driver"); driver=${driver##*/}; fi
  if [[ $driver == efa || (-z $driver && $name == rdmap*) ]]; then
    EFA_DEVS+=("$name")
    id=""
    [[ ! -r $dev/device/device ]] || id=$(tr -d '[:space:]' <"$dev/device/device")
    EFA_IDS+=("${id:-unknown}")
  fi
done
HAVE_EFA=0
if ((${#EFA_DEVS[@]})); then
  HAVE_EFA=1
  list=""
  for i in "${!EFA_DEVS[@]}"; do list+="${list:+, }${EFA_DEVS[$i]} (PCI ${EFA_IDS[$i]})"; done
  say "EFA devices: $list"
else
  say "EFA devices: none ($(p /sys/class/infiniband) has no device bound to the efa driver)"
fi

# EFA software: the AWS installer's libfabric (with fi_info) under /opt/amazon/efa.
FI_INFO="" LIBFABRIC="" EFA_SOFTWARE=0
[[ ! -x $(p /opt/amazon/efa/bin/fi_info) ]] || FI_INFO=$(p /opt/amazon/efa/bin/fi_info)
if [[ -z $FI_INFO && -z $PREFIX ]] && command -v fi_info >/dev/null; then FI_INFO=$(command -v fi_info); fi
for lib in /opt/amazon/efa/lib64/libfabric.so.1 /opt/amazon/efa/lib/libfabric.so.1; do
  if [[ -e $(p "$lib") ]]; then LIBFABRIC=$lib; break; fi
done
if ((HAVE_EFA)); then
  if [[ -n $FI_INFO ]]; then
    # Output captured first: grep -q on a pipe would SIGPIPE fi_info and trip pipefail.
    out=$("$FI_INFO" --version 2>/dev/null || true)
    version=$(printf '%s\n' "$out" | sed -n 's/^libfabric:[[:space:]]*\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
    version=${version%%$'\n'*}
    out=$("$FI_INFO" -p efa -t FI_EP_RDM 2>/dev/null || true)
    if [[ $out == *"provider: efa"* ]]; then
      EFA_SOFTWARE=1
      say "EFA software: $FI_INFO (libfabric ${version:-version unknown}); fi_info -p efa offers FI_EP_RDM"
      if [[ $version =~ ^([0-9]+)\.([0-9]+)$ ]] && ((BASH_REMATCH[1] == 1 && 10#${BASH_REMATCH[2]} < 18)); then
        warn "libfabric $version is older than 1.18: the plugin refuses EFA below API 1.18 (device RDMA read off); install current EFA software"
      fi
    else
      warn "$FI_INFO -p efa -t FI_EP_RDM lists no EFA endpoint (efa kernel module not loaded? reboot after installing the EFA software?)"
    fi
  elif [[ -n $LIBFABRIC ]]; then
    EFA_SOFTWARE=1
    say "EFA software: $(p "$LIBFABRIC") (no fi_info to check the efa provider)"
  else
    warn "EFA software not found ($(p /opt/amazon/efa/bin/fi_info)). The plugin needs libfabric >= 1.18 with the efa provider."
    say "  Install it (the full installer: --minimal leaves libfabric out), best baked into a custom AMI:"
    say "    curl -O $INSTALLER_URL"
    say "    tar -xf aws-efa-installer-latest.tar.gz && cd aws-efa-installer && sudo ./efa_installer.sh -y"
    say "  Until then executors on this node log one warning and use Spark's built-in shuffle."
  fi
fi
hugepages=$(cat "$(p /proc/sys/vm/nr_hugepages)" 2>/dev/null || echo unknown)
kernel=$(cat "$(p /proc/sys/kernel/osrelease)" 2>/dev/null || echo unknown)
say "kernel: $kernel; huge pages reserved: $hugepages (EFA puts bounce buffers there when reserved; optional)"

if ((!HAVE_EFA)); then
  say "This node has no EFA device. EFA interfaces exist only when the instance is launched with"
  say "  them (or attached while stopped); they cannot be attached to a running instance. For EFA:"
  say "  an EFA-capable instance type (aws ec2 describe-instance-types --filters"
  say "  Name=network-info.efa-supported,Values=true), instances launched with an EFA interface, a"
  say "  security group that allows all traffic to and from itself, a cluster placement group, and"
  say "  one subnet (one Availability Zone)."
fi

# ---- what to enable ---------------------------------------------------------------------------
EFFECTIVE=$PROVIDER
if [[ $PROVIDER == auto ]]; then
  if ((HAVE_EFA)); then EFFECTIVE=efa; else EFFECTIVE=none; fi
fi
WHY_OFF=""
[[ $EFFECTIVE != none ]] || WHY_OFF="this node has no EFA device and --provider is auto"
if [[ $PROVIDER == efa ]] && ((!HAVE_EFA)); then
  say "Provider efa was given: writing EFA settings although this node has no EFA device (e.g. a"
  say "  primary node whose core nodes have EFA); executors without EFA use Spark's built-in shuffle."
fi

# ---- node limits: EFA pins registered memory ---------------------------------------------------
if ((HAVE_EFA)); then
  limits="# Written by efa-shuffle emr-bootstrap.sh (--memlock-users $MEMLOCK_USERS): EFA pins (mlocks)
# registered memory. pam_limits applies this to login sessions of these users only; the NodeManager
# and its containers (the executors) get LimitMEMLOCK from its systemd drop-in instead.
"
  for domain in "${MEMLOCK_DOMAINS[@]}"; do
    limits+="$domain    soft    memlock    unlimited
$domain    hard    memlock    unlimited
"
  done
  put_file "$(p "$LIMITS_FILE")" 0644 "$limits"
  put_file "$(p "$NM_DROPIN")" 0644 "# Written by efa-shuffle emr-bootstrap.sh: YARN containers (Spark executors) inherit the
# NodeManager's limits, and EFA pins the shuffle buffers it registers.
[Service]
LimitMEMLOCK=infinity
"
  if ((WROTE)); then # the drop-in changed (limits.d needs no reload)
    systemctl=""
    if [[ -n $PREFIX ]]; then
      [[ ! -x $(p /usr/bin/systemctl) ]] || systemctl=$(p /usr/bin/systemctl)
    elif command -v systemctl >/dev/null; then
      systemctl=systemctl
    fi
    if [[ -z $systemctl ]]; then
      say "skip systemctl daemon-reload (no systemctl${PREFIX:+ under the prefix})"
    else
      say "+ $systemctl daemon-reload"
      ((DRY_RUN)) || "$systemctl" daemon-reload
    fi
    say "note: a NodeManager that is already running keeps its old limit until restarted"
    say "  (systemctl restart hadoop-yarn-nodemanager; this kills its running containers)"
  fi
fi

# ---- the plugin jar -----------------------------------------------------------------------------
STAGED_JAR=""
if [[ -n $JAR ]]; then
  STAGED_JAR=$(p "$STAGE_DIR/lib/${JAR##*/}")
  for old in "$(p "$STAGE_DIR/lib")"/shuffle-efa-*.jar; do
    [[ ! -e $old || $old == "$STAGED_JAR" ]] || remove_file "$old"
  done
  src=$JAR
  if [[ $JAR == s3://* ]]; then
    if ((DRY_RUN)); then
      say "+ aws s3 cp $JAR <download>  (then copied to $STAGED_JAR if it differs)"
      src=""
    else
      command -v aws >/dev/null || die "aws CLI not found; it is needed for $JAR"
      src=$(mktemp)
      TMP_FILES+=("$src")
      say "+ aws s3 cp $JAR $src"
      aws s3 cp --only-show-errors "$JAR" "$src" || die "aws s3 cp $JAR failed"
    fi
  fi
  [[ -z $src ]] || put_copy "$src" "$STAGED_JAR" 0644
fi

# ---- Spark: jar into jars/, settings block into spark-defaults.conf ---------------------------
CONF=$(p "$SPARK_HOME_DIR/conf/spark-defaults.conf")
JARS=$(p "$SPARK_HOME_DIR/jars")

kv() { printf '%-48s %s\n' "$1" "$2"; } # one spark-defaults line

spark_block() { # the block for EFFECTIVE; WHY_OFF non-empty = plugin not enabled
  local existing=$1 javaopts rdma="" b
  b="$MARK_BEGIN"$'\n'
  if [[ -n $WHY_OFF ]]; then
    b+="# efa-shuffle is NOT enabled: $WHY_OFF. Spark's built-in sort shuffle is used."$'\n'
    b+="# Written by conf/emr-bootstrap.sh; rerun it (or --provider efa|tcp) to change this. To try the"$'\n'
    b+="# plugin in one job (its jar must be in $SPARK_HOME_DIR/jars):"$'\n'
    b+="#   --conf spark.shuffle.manager=$MANAGER_CLASS"$'\n'
    b+="#   --conf spark.shuffle.sort.io.plugin.class=$IO_CLASS --conf spark.shuffle.efa.provider=tcp"$'\n'
    b+="$MARK_END"$'\n'
    printf '%s' "$b"
    return
  fi
  b+="# Written by conf/emr-bootstrap.sh (provider $EFFECTIVE); rerunning it replaces this block."$'\n'
  b+="# Why each line: conf/spark-defaults.conf.template."$'\n'
  b+=$(kv spark.shuffle.manager "$MANAGER_CLASS")$'\n'
  b+=$(kv spark.shuffle.sort.io.plugin.class "$IO_CLASS")$'\n'
  b+=$(kv spark.shuffle.efa.provider "$EFFECTIVE")$'\n'
  b+=$(kv spark.shuffle.efa.buffer.budget "$BUDGET")$'\n'
  b+=$(kv spark.shuffle.efa.fallback.enabled true)$'\n'
  b+=$(kv spark.shuffle.efa.required false)$'\n'
  b+="# Staged map outputs are served only by the executor that wrote them (the external shuffle"$'\n'
  b+="# service reads files only); dynamic allocation keeps such executors by shuffle tracking."$'\n'
  b+=$(kv spark.shuffle.service.enabled false)$'\n'
  b+=$(kv spark.dynamicAllocation.shuffleTracking.enabled true)$'\n'
  b+="# Registered memory (budget + 64m receive pool; EFA pins it at start) lives outside the heap:"$'\n'
  b+="# a floor under Spark's memoryOverhead; an explicit spark.executor.memoryOverhead overrides it."$'\n'
  b+=$(kv spark.executor.minMemoryOverhead "$(($(budget_mib) + RECEIVE_POOL_MIB + SPARK_MIN_OVERHEAD_MIB))m")$'\n'
  # FFM needs native access; keep the options EMR (or anyone) set above this block.
  javaopts=$existing
  [[ $javaopts == *"$NATIVE_ACCESS"* ]] || javaopts="${javaopts:+$javaopts }$NATIVE_ACCESS"
  b+="# extraJavaOptions = the value above this block + $NATIVE_ACCESS (rerun after changing it)"$'\n'
  b+=$(kv spark.executor.extraJavaOptions "$javaopts")$'\n'
  if [[ -n $JDK25 ]]; then
    b+="# The node's default JDK is older than the plugin's JDK 25."$'\n'
    b+=$(kv spark.executorEnv.JAVA_HOME "$JDK25")$'\n'
    b+=$(kv spark.yarn.appMasterEnv.JAVA_HOME "$JDK25")$'\n'
  fi
  if [[ $EFFECTIVE == efa ]]; then
    b+=$(kv spark.executorEnv.FI_EFA_FORK_SAFE 1)$'\n'
    case $DEVICE_RDMA in
      on) rdma=1 ;;
      off) rdma=0 ;;
      auto) if ((RDMA_READ_KNOWN)); then rdma=1; fi ;;
    esac
    if [[ -n $rdma ]]; then
      b+=$(kv spark.executorEnv.FI_EFA_USE_DEVICE_RDMA "$rdma")$'\n'
    else
      b+="# FI_EFA_USE_DEVICE_RDMA unset: libfabric uses device RDMA read where the hardware has it."$'\n'
    fi
    [[ -z $LIBFABRIC ]] || b+=$(kv spark.executorEnv.EFA_SHUFFLE_LIBFABRIC "$LIBFABRIC")$'\n'
  fi
  b+="$MARK_END"$'\n'
  printf '%s' "$b"
}

# FI_EFA_USE_DEVICE_RDMA=1 aborts the process on a device without RDMA read, so auto sets it only
# for EFA generations from PCI id 0xefa2 on (libfabric's own default for them). On 0xefa1 (p4d,
# p5 and other Nitro v4) it stays unset: with the API >= 1.18 the plugin requests, libfabric
# then uses device RDMA read when the hardware has it. 0xefa0 (first generation) has none.
RDMA_READ_KNOWN=0
if ((HAVE_EFA)); then
  RDMA_READ_KNOWN=1
  for id in "${EFA_IDS[@]}"; do [[ $id =~ ^0xefa[2-9a-f]$ ]] || RDMA_READ_KNOWN=0; done
fi

spark_ready() { [[ -f $CONF && -d $JARS ]]; }

if spark_ready; then
  # Spark version: the plugin is built for Spark 4.2 / Scala 2.13; any other would fail every job.
  spark_version=""
  for f in "$JARS"/spark-core_*.jar; do
    [[ -e $f ]] || continue
    spark_version=${f##*/spark-core_}; spark_version=${spark_version%.jar}
    break
  done
  # JDK: the plugin's classes need JDK 25 (the FFM API); Spark before 4.2 cannot run on it
  # (Hadoop's Subject.getSubject), so the JDK found decides too, never a release label.
  DEFAULT_JDK=$(default_jdk)
  default_major=""
  [[ -z $DEFAULT_JDK ]] || default_major=$(jdk_major "$(p "$DEFAULT_JDK")")
  on_jdk="on JDK ${default_major:-unknown}${DEFAULT_JDK:+ ($DEFAULT_JDK)}"
  JDK25=""
  if [[ -z $spark_version ]]; then
    warn "no spark-core jar in $JARS: cannot check the Spark version (the plugin needs Spark 4.2, Scala 2.13)"
  elif [[ $spark_version =~ ^2\.13-([0-9]+)\.([0-9]+) ]] &&
    ((BASH_REMATCH[1] > 4 || (BASH_REMATCH[1] == 4 && BASH_REMATCH[2] >= 2))); then
    say "Spark: ${spark_version#*-} (Scala ${spark_version%%-*}) $on_jdk"
    if [[ -n $default_major ]] && ((default_major >= 25)); then
      :
    elif JDK25=$(newest_jdk 25) && [[ -n $JDK25 ]]; then
      say "JDK $(jdk_major "$(p "$JDK25")") at $JDK25: executors and the YARN application master get it as JAVA_HOME"
      say "  (drivers in client mode need it too: export JAVA_HOME=$JDK25 before spark-submit)"
    else
      [[ -n $WHY_OFF ]] || WHY_OFF="Spark ${spark_version#*-} runs $on_jdk here and no JDK 25 is installed under /usr/lib/jvm; the plugin needs JDK 25"
    fi
  else
    version=${spark_version#*-} why=""
    if [[ $version =~ ^4\.[01]\. ]]; then
      why="the plugin needs Spark 4.2+ on JDK 25, and Spark $version cannot run on JDK 25 (Hadoop's Subject.getSubject)"
    else
      why="the plugin needs Spark 4.2+ with Scala 2.13 on JDK 25"
    fi
    warn "Spark $version (Scala ${spark_version%%-*}) $on_jdk: $why"
    [[ -n $WHY_OFF ]] || WHY_OFF="Spark $version (Scala ${spark_version%%-*}) $on_jdk: $why"
  fi

  # Jar into Spark's jars/: on the classpath of drivers and executors in every deploy mode,
  # without touching EMR's spark.*.extraClassPath. One plugin version only.
  if [[ -n $STAGED_JAR ]]; then
    for old in "$JARS"/shuffle-efa-*.jar; do
      [[ ! -e $old || ${old##*/} == "${STAGED_JAR##*/}" ]] || remove_file "$old"
    done
    jar_src=$STAGED_JAR
    # Dry run: nothing staged yet, so compare with the given local jar (an s3 one is unknown).
    if [[ ! -f $jar_src && $JAR != s3://* ]]; then jar_src=$JAR; fi
    if [[ -f $jar_src ]]; then
      put_copy "$jar_src" "$JARS/${STAGED_JAR##*/}" 0644
    else
      say "+ cp $STAGED_JAR $JARS/${STAGED_JAR##*/}"
      CHANGED=$((CHANGED + 1))
    fi
  fi
  have_jar=0
  [[ -z $STAGED_JAR ]] || have_jar=1
  for f in "$JARS"/shuffle-efa-*.jar; do [[ ! -e $f ]] || have_jar=1; done
  if ((!have_jar)) && [[ -z $WHY_OFF ]]; then
    WHY_OFF="no plugin jar in $SPARK_HOME_DIR/jars (pass --jar)"
    warn "$WHY_OFF: not enabling the plugin, which would fail every job"
  fi

  # The block goes last so it wins over EMR's own lines (Properties: the last key wins).
  if (($(grep -cxF "$MARK_BEGIN" "$CONF" || true) != $(grep -cxF "$MARK_END" "$CONF" || true))); then
    die "$CONF has unbalanced '$MARK_BEGIN' / '$MARK_END' lines; fix them by hand"
  fi
  rest=$(awk -v b="$MARK_BEGIN" -v e="$MARK_END" '$0 == b {skip = 1; next} $0 == e {skip = 0; next} !skip' "$CONF")
  existing=$(printf '%s\n' "$rest" | sed -n 's/^[[:space:]]*spark\.executor\.extraJavaOptions[[:space:]]*[=:[:space:]][[:space:]]*//p' | tail -n1)
  block=$(spark_block "$existing")$'\n'
  [[ -z $rest ]] || rest+=$'\n\n'
  put_file "$CONF" "" "$rest$block"
  if [[ -n $WHY_OFF ]]; then
    say "efa-shuffle NOT enabled: $WHY_OFF. Spark's built-in shuffle stays in use."
  else
    say "efa-shuffle enabled in $CONF (provider $EFFECTIVE, buffer.budget $BUDGET)"
    if ((HAVE_EFA && !EFA_SOFTWARE)) && [[ $EFFECTIVE == efa ]]; then
      warn "executors on this node use the built-in shuffle until the EFA software is installed"
    fi
  fi
elif ((WAIT > 0)); then
  # Normal on EMR: bootstrap actions run before applications are installed.
  say "Spark is not installed yet (no $CONF): the Spark part runs in the background once EMR"
  say "  has written it (up to ${WAIT}s; log $(p "$LOG_FILE"))."
  staged_self=$(p "$STAGE_DIR/emr-bootstrap.sh")
  put_copy "$SELF" "$staged_self" 0755
  args=(--provider "$PROVIDER" --budget "$BUDGET" --device-rdma "$DEVICE_RDMA" --memlock-users "$MEMLOCK_USERS"
    --spark-home "$SPARK_HOME_DIR" --wait-for-spark "$WAIT")
  [[ -z $PREFIX ]] || args+=(--prefix "$PREFIX")
  [[ -z $STAGED_JAR ]] || args+=(--jar "$STAGED_JAR")
  running=""
  [[ ! -f $(p "$PID_FILE") ]] || running=$(cat "$(p "$PID_FILE")")
  if [[ $running =~ ^[0-9]+$ ]] && kill -0 "$running" 2>/dev/null; then
    say "unchanged: a background run is already waiting (pid $running)"
    UNCHANGED=$((UNCHANGED + 1))
  else
    say "+ background: $staged_self ${args[*]} >> $(p "$LOG_FILE")"
    if ((!DRY_RUN)); then
      mkdir -p "$(dirname "$(p "$LOG_FILE")")"
      # Detached, with no descriptor of ours, so EMR does not wait for it.
      if command -v setsid >/dev/null; then
        EFA_BOOTSTRAP_POLL=$POLL setsid nohup "$staged_self" "${args[@]}" >>"$(p "$LOG_FILE")" 2>&1 </dev/null &
      else
        EFA_BOOTSTRAP_POLL=$POLL nohup "$staged_self" "${args[@]}" >>"$(p "$LOG_FILE")" 2>&1 </dev/null &
      fi
    fi
    CHANGED=$((CHANGED + 1))
  fi
else
  warn "Spark is not installed ($CONF, $JARS): Spark settings not written. Once it is, run:"
  say "  sudo $SELF ${ORIG_ARGS[*]-}"
fi

if ((DRY_RUN)); then
  say "dry run: $CHANGED action(s) would change the node, $UNCHANGED unchanged"
else
  say "done: $CHANGED changed, $UNCHANGED unchanged"
fi
