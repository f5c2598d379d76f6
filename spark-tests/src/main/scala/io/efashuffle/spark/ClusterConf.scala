package io.efashuffle.spark

import java.io.File

import scala.jdk.CollectionConverters._

import org.apache.spark.SparkConf

/**
 * How the suites and benchmark jobs start a real multi-JVM cluster: `local-cluster` forks
 * executor JVMs from the assembled SPARK_HOME; the plugin jar and the job classes reach them the
 * way they would on a cluster (a class path entry), and all traffic stays on loopback.
 */
object ClusterConf {
  val PluginManager = "org.apache.spark.shuffle.efa.EfaShuffleManager"
  val PluginDataIO = "org.apache.spark.shuffle.efa.EfaShuffleDataIO"

  private def required(prop: String, what: String): String =
    Option(System.getProperty(prop)).filter(p => new File(p).exists()).getOrElse(
      throw new IllegalStateException(s"$what not found (system property $prop); build with `bin/efa-shuffle`"))

  def pluginJar: String = required("efa.plugin.jar", "the shuffle-efa jar")
  def jobClasses: String = required("efa.jobs.classes", "the spark-tests job classes")
  def tpcJar: String = required("efa.tpc.jar", "the tpc-bench jar")

  /**
   * Set (to `c1`) by spark-tests' test run only: its executors then compile with C1 alone. Each
   * suite's executors live for seconds, and on 2 cores C2's compiler threads took about half their
   * CPU (FallbackSuite: 94 s with tiered compilation, 46 s with C1). Benchmarks never set it, and
   * the suites about the plugin under load run their executors with the users' JIT ([[usersJit]]).
   */
  val TestJit = "efa.test.executorJit"
  private val C1Only = "-XX:TieredStopAtLevel=1"

  /**
   * Set while a suite about the plugin under load runs (spark-tests' `UsersJit`): its executors
   * compile as users' do, tiered with C2, which reorders and inlines where C1 does not.
   */
  @volatile var usersJit: Boolean = false

  /** What executors need (the plugin's native access), and C1 alone under the test run ([[TestJit]]). */
  def executorJavaOptions: String =
    ("--enable-native-access=ALL-UNNAMED" +: (if (sys.props.get(TestJit).contains("c1") && !usersJit) Seq(C1Only) else Nil))
      .mkString(" ")

  /** `conf` as it starts now: without C1 alone while [[usersJit]] (a suite may build its confs before it runs). */
  def forStart(conf: SparkConf): SparkConf = {
    val options = conf.get("spark.executor.extraJavaOptions", "")
    if (!usersJit || !options.contains(C1Only)) conf
    else conf.clone().set("spark.executor.extraJavaOptions", options.split(' ').filterNot(_ == C1Only).mkString(" "))
  }

  /**
   * Spark's built-in sort shuffle with Spark's defaults, including `spark.shuffle.readHostLocalDisk=true`
   * (executors on one host read each other's shuffle files directly): the user's configuration.
   */
  def builtin(appName: String, executors: Int = 2, executorMemoryMb: Int = 1024, cores: Int = 1): SparkConf = {
    new SparkConf()
      .setMaster(s"local-cluster[$executors,$cores,$executorMemoryMb]")
      .setAppName(appName)
      .set("spark.driver.host", "127.0.0.1")
      .set("spark.driver.bindAddress", "127.0.0.1")
      .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
      .set("spark.ui.enabled", "false")
      .set("spark.executor.extraClassPath", Seq(pluginJar, jobClasses).mkString(File.pathSeparator))
      // -Dspark.executor.extraJavaOptions=... (a profiler, say) is kept and added to.
      .set("spark.executor.extraJavaOptions",
        (executorJavaOptions +: sys.props.get("spark.executor.extraJavaOptions").toSeq).mkString(" "))
      .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
  }

  /** The same cluster with the EFA shuffle plugin on the given libfabric provider. */
  def plugin(appName: String, provider: String = "tcp", executors: Int = 2,
      executorMemoryMb: Int = 1024, cores: Int = 1): SparkConf =
    withPlugin(builtin(appName, executors, executorMemoryMb, cores), provider)

  def withPlugin(conf: SparkConf, provider: String): SparkConf = {
    conf.set("spark.shuffle.manager", PluginManager)
      .set("spark.shuffle.sort.io.plugin.class", PluginDataIO)
      .set("spark.shuffle.efa.provider", provider)
      .set("spark.shuffle.efa.buffer.budget", "384m")
    // Network providers bind to an interface; shm has one domain and no interface.
    if (provider == "tcp" || provider == "sockets") conf.set("spark.shuffle.efa.nics", "lo") else conf
  }

  /**
   * Blocks between executors go through Netty even on one host (`spark.shuffle.readHostLocalDisk=false`).
   * Only for spark-bench: on one machine the built-in side would otherwise read the other executor's
   * files from disk and its fetch would not be measured.
   */
  def throughNetty(conf: SparkConf): SparkConf = conf.set("spark.shuffle.readHostLocalDisk", "false")

  /** The flags this JVM runs Spark with (the build's spark.jvm.args), for the Spark JVMs a test forks itself. */
  def sparkJvmArgs: Seq[String] = java.lang.management.ManagementFactory.getRuntimeMXBean.getInputArguments.asScala
    .toSeq.filter(a => Seq("--add-opens", "--enable-native-access", "--sun-misc-unsafe", "-Xss", "-Dio.netty")
      .exists(a.startsWith))
}
