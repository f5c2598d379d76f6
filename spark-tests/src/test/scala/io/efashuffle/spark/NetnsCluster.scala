package io.efashuffle.spark

import java.nio.file.Files
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

/**
 * Hosts of their own on one machine (needs root): each Worker host is a network namespace
 * `efa-nh-wN` whose only link, interface [[NetnsCluster.Nic]] (10.213.0.1N/24), is one end of a
 * veth pair cabled to a bridge in the hub namespace `efa-nh-hub`. The head host (this JVM: the
 * driver and the Master) is the root namespace's veth `efa-nh-head` (10.213.0.1) on the same
 * bridge. Addresses exist only on these interfaces, and an `unreachable` route for 10.213.0.0/16
 * in the root namespace keeps any packet for them from leaving through the default route while
 * the links come and go. [[close]] removes everything; [[NetnsCluster.create]] first removes what
 * a crashed run left (only names with the `efa-nh` prefix).
 */
final class NetnsCluster private (val workers: Int) extends AutoCloseable {
  import NetnsCluster._

  /** The Master's and driver's address. */
  def head: StandaloneCluster.Host = StandaloneCluster.Host(HeadAddress)

  /** Where each Worker runs: its namespace's address, started inside it. */
  def workerHosts: Seq[StandaloneCluster.Host] =
    (1 to workers).map(n => StandaloneCluster.Host(address(n), Seq("ip", "netns", "exec", namespace(n))))

  def address(n: Int): String = s"10.213.0.${10 + n}"

  /** Pulls host n's cable: its hub port goes down (the host sees no carrier) until [[cableIn]]. */
  def cableOut(n: Int): Unit = run("ip", "-n", Hub, "link", "set", port(n), "down")

  def cableIn(n: Int): Unit = run("ip", "-n", Hub, "link", "set", port(n), "up")

  /** Whether host n's interface has a carrier (its cable is in). */
  def carrier(n: Int): Boolean =
    run("ip", "netns", "exec", namespace(n), "cat", s"/sys/class/net/$Nic/carrier").trim == "1"

  /**
   * Makes host n's link lossy and slow in both directions: `tc netem` loss and delay on both ends
   * where the kernel has netem; where it does not (CONFIG_NET_SCH_NETEM unset, as on this machine
   * kind), random drops with nftables in the host's namespace and a token bucket (tbf) whose
   * queue adds up to `delayMs` on both ends. Returns what was applied.
   */
  def impair(n: Int, lossPercent: Int, delayMs: Int): String = {
    val ends = Seq(Hub -> port(n), namespace(n) -> Nic)
    val netem = Seq("netem", "loss", s"$lossPercent%", "delay", s"${delayMs}ms")
    if (tryRun(Seq("tc", "-n", Hub, "qdisc", "add", "dev", port(n), "root") ++ netem)) {
      run(Seq("tc", "-n", namespace(n), "qdisc", "add", "dev", Nic, "root") ++ netem: _*)
      s"netem loss $lossPercent% delay ${delayMs}ms on both ends"
    } else {
      runWithInput(s"""table inet $FaultTable {
        |  chain out { type filter hook output priority 0; policy accept; oifname "$Nic" numgen random mod 100 < $lossPercent drop; }
        |  chain in { type filter hook input priority 0; policy accept; iifname "$Nic" numgen random mod 100 < $lossPercent drop; }
        |}""".stripMargin, "ip", "netns", "exec", namespace(n), "nft", "-f", "-")
      for ((ns, dev) <- ends) {
        run("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "tbf", "rate", "50mbit", "burst", "64kb",
          "latency", s"${delayMs}ms")
      }
      s"no netem in this kernel: nftables drops $lossPercent% each way, tbf 50 Mbit/s with up to ${delayMs}ms queue on both ends"
    }
  }

  /** Undoes [[impair]] (whichever form it took). */
  def clearImpairment(n: Int): Unit = {
    tryRun(Seq("tc", "-n", Hub, "qdisc", "del", "dev", port(n), "root"))
    tryRun(Seq("tc", "-n", namespace(n), "qdisc", "del", "dev", Nic, "root"))
    tryRun(Seq("ip", "netns", "exec", namespace(n), "nft", "delete", "table", "inet", FaultTable))
  }

  /** Bytes host n's interface has received. */
  def receivedBytes(n: Int): Long =
    run("ip", "netns", "exec", namespace(n), "cat", s"/sys/class/net/$Nic/statistics/rx_bytes").trim.toLong

  override def close(): Unit = removeAll()

  private def build(): Unit = {
    run("ip", "netns", "add", Hub)
    run("ip", "-n", Hub, "link", "add", "br0", "type", "bridge")
    run("ip", "-n", Hub, "link", "set", "br0", "up")
    // The head: a veth whose near end stays in the root namespace.
    run("ip", "link", "add", HeadLink, "type", "veth", "peer", "name", "head", "netns", Hub)
    run("ip", "route", "add", "unreachable", Guard)
    run("ip", "addr", "add", s"$HeadAddress/24", "dev", HeadLink)
    run("ip", "link", "set", HeadLink, "up")
    plug("head")
    for (n <- 1 to workers) {
      val ns = namespace(n)
      run("ip", "netns", "add", ns)
      run("ip", "-n", ns, "link", "set", "lo", "up")
      run("ip", "-n", ns, "link", "add", Nic, "type", "veth", "peer", "name", port(n), "netns", Hub)
      run("ip", "-n", ns, "addr", "add", s"${address(n)}/24", "dev", Nic)
      run("ip", "-n", ns, "link", "set", Nic, "up")
      plug(port(n))
    }
  }

  private def plug(port: String): Unit = {
    run("ip", "-n", Hub, "link", "set", port, "master", "br0")
    run("ip", "-n", Hub, "link", "set", port, "up")
  }
}

object NetnsCluster {
  val Nic = "efa-veth"
  val HeadAddress = "10.213.0.1"
  private val Prefix = "efa-nh"
  private val Hub = s"$Prefix-hub"
  private val HeadLink = s"$Prefix-head"
  private val Guard = "10.213.0.0/16"
  private val FaultTable = "efa_nh_faults"
  private val CommandTimeoutSeconds = 20L

  private def namespace(n: Int) = s"$Prefix-w$n"
  private def port(n: Int) = s"w$n"

  /** Why this machine cannot host the cluster (not root, no `ip netns`), or None. */
  def unavailable: Option[String] =
    if (!tryRun(Seq("id", "-u"), expect = "0")) Some("needs root (network namespaces and veth links)")
    else if (!tryRun(Seq("ip", "netns", "list"))) Some("`ip netns` is not available (install iproute2)")
    else if (!tryRun(Seq("nft", "--version"))) Some("`nft` is not available (install nftables)")
    else None

  /** `workers` Worker namespaces and the head, after removing any left by an earlier run. */
  def create(workers: Int): NetnsCluster = {
    removeAll()
    val net = new NetnsCluster(workers)
    try net.build() catch {
      case e: Throwable =>
        removeAll()
        throw e
    }
    net
  }

  /** Deletes every namespace and root link named with the prefix (their veths go with them) and the guard route. */
  private def removeAll(): Unit = {
    val namespaces = run("ip", "netns", "list").linesIterator.map(_.takeWhile(_ != ' ')).filter(_.startsWith(s"$Prefix-"))
    // The head's veth first: deleting one end deletes its peer in the hub at once. Deleting a
    // namespace is finished by the kernel later, so a veth whose peer was in it can vanish between
    // a check and a delete (CI saw `ip link del` fail on a link `ip link show` had just found).
    if (tryRun(Seq("ip", "link", "show", HeadLink)) && !tryRun(Seq("ip", "link", "del", HeadLink))) {
      require(!tryRun(Seq("ip", "link", "show", HeadLink)), s"cannot delete $HeadLink")
    }
    // Workers first: their processes are stopped before this, and the hub goes last.
    namespaces.toSeq.sortBy(_ == Hub).foreach(ns => run("ip", "netns", "del", ns))
    if (run("ip", "route", "show", "type", "unreachable").contains(Guard)) run("ip", "route", "del", "unreachable", Guard)
  }

  private def run(cmd: String*): String = {
    val (rc, out) = exec(cmd)
    require(rc == 0, s"`${cmd.mkString(" ")}` exited $rc: $out")
    out
  }

  private def runWithInput(input: String, cmd: String*): Unit = {
    val (rc, out) = exec(cmd, input)
    require(rc == 0, s"`${cmd.mkString(" ")}` exited $rc: $out")
  }

  private def tryRun(cmd: Seq[String], expect: String = null): Boolean =
    try {
      val (rc, out) = exec(cmd)
      rc == 0 && (expect == null || out.trim == expect)
    } catch { case NonFatal(_) => false }

  /** Runs a command to its end (bounded); returns its exit code and output (stdout and stderr). */
  private def exec(cmd: Seq[String], input: String = ""): (Int, String) = {
    val log = Files.createTempFile("efa-nh", ".out")
    val p = new ProcessBuilder(cmd.asJava).redirectErrorStream(true).redirectOutput(log.toFile).start()
    try {
      p.getOutputStream.write(input.getBytes)
      p.getOutputStream.close()
      if (!p.waitFor(CommandTimeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException(s"`${cmd.mkString(" ")}` did not end in $CommandTimeoutSeconds s")
      }
      (p.exitValue(), Files.readString(log))
    } finally {
      p.destroyForcibly()
      Files.deleteIfExists(log)
    }
  }
}
