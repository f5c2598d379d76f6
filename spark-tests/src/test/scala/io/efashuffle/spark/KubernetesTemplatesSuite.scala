package io.efashuffle.spark

import java.io.{File, FileReader}
import java.util.Properties

import scala.jdk.CollectionConverters._

import io.fabric8.kubernetes.api.model.{ConfigMap, Container, Quantity}
import org.apache.spark.SparkConf
import org.apache.spark.deploy.k8s.KubernetesPods
import org.apache.spark.network.util.JavaUtils
import org.scalatest.funsuite.AnyFunSuite

/**
 * conf/kubernetes/ as Spark uses it: `spark-efa.conf` and the pod templates go through Spark's own
 * driver and executor pod builders (spark-kubernetes 4.2), and the pods they yield carry what the
 * plugin needs on EKS, and no more: one EFA device and IPC_LOCK for executors, a memory limit that
 * holds the registered budget, the plugin's JVM flag and libfabric's environment; nothing for the
 * driver.
 */
class KubernetesTemplatesSuite extends AnyFunSuite {
  private val dir = new File(System.getProperty("efa.conf.dir"), "kubernetes")
  private val Efa = "vpc.amazonaws.com/efa"
  private val Image = "registry.example/spark-efa:4.2.0"

  /** spark-efa.conf, as spark-submit --properties-file reads it. */
  private def efaConf: Map[String, String] = {
    val props = new Properties()
    val in = new FileReader(new File(dir, "spark-efa.conf"))
    try props.load(in) finally in.close()
    props.asScala.map { case (k, v) => k -> v.trim }.toMap
  }

  /** What a user passes on spark-submit's command line besides the properties file. */
  private def submitConf(executorTemplate: String): SparkConf = new SparkConf(false)
    .setAll(efaConf)
    .set("spark.master", "k8s://https://kubernetes.example:443")
    .set("spark.app.name", "efa-shuffle-job")
    .set("spark.kubernetes.namespace", "spark")
    .set("spark.kubernetes.container.image", Image)
    .set("spark.kubernetes.driver.podTemplateFile", new File(dir, "driver-pod-template.yaml").getPath)
    .set("spark.kubernetes.executor.podTemplateFile", new File(dir, executorTemplate).getPath)

  /** What the running driver adds before it asks for executor pods (its service and port). */
  private def driverSideConf(executorTemplate: String): SparkConf = submitConf(executorTemplate)
    .set("spark.kubernetes.executor.podNamePrefix", "efa-shuffle-job")
    .set("spark.driver.host", "efa-shuffle-job-driver-svc.spark.svc")
    .set("spark.driver.port", "7078")

  private def mib(q: Quantity): Long = Quantity.getAmountInBytes(q).longValueExact() >> 20
  private def sizeMib(setting: String): Long = JavaUtils.byteStringAsMb(efaConf(setting))
  private def env(c: Container): Map[String, String] = c.getEnv.asScala.map(e => e.getName -> e.getValue).toMap
  private def capabilities(c: Container): Seq[String] =
    Option(c.getSecurityContext).flatMap(s => Option(s.getCapabilities)).flatMap(c => Option(c.getAdd))
      .map(_.asScala.toSeq).getOrElse(Nil)

  private def checkExecutor(template: String)(extra: Container => Unit): Unit = {
    val pod = KubernetesPods.executor(driverSideConf(template))
    val c = pod.container
    assert(c.getName == "spark-kubernetes-executor" && c.getImage == Image)
    assert(pod.pod.getMetadata.getLabels.asScala.get("efa-shuffle/role").contains("executor"))
    assert(pod.pod.getMetadata.getLabels.asScala.get("spark-role").contains("executor"), "Spark's own labels kept")
    val (limits, requests) = (c.getResources.getLimits.asScala, c.getResources.getRequests.asScala)
    assert(limits.get(Efa).map(_.toString).contains("1") && requests.get(Efa).map(_.toString).contains("1"),
      s"one EFA device: $limits / $requests")
    // Registered memory sits outside the heap, inside the pod's limit: heap + budget + receive pool fit.
    val heap = new SparkConf(false).getSizeAsMb("spark.executor.memory", "1g")
    assert(mib(limits("memory")) >= heap + sizeMib("spark.shuffle.efa.buffer.budget") + 64,
      s"memory limit ${limits("memory")} cannot hold the heap and the registered budget")
    assert(capabilities(c) == Seq("IPC_LOCK"), "exactly one capability")
    assert(!Option(c.getSecurityContext.getPrivileged).exists(_.booleanValue), "not privileged")
    val e = env(c)
    assert(e.get("FI_EFA_FORK_SAFE").contains("1") && e.get("FI_EFA_ENABLE_SHM_TRANSFER").contains("0"), e)
    assert(e.filter(_._1.startsWith("SPARK_JAVA_OPT_")).values.exists(_.contains("--enable-native-access=ALL-UNNAMED")),
      s"the executor JVM lacks the plugin's flag: $e")
    extra(c)
  }

  test("executor pods (device plugin): one EFA device, IPC_LOCK only, a memory limit holding the budget, " +
    "libfabric's environment and the plugin's JVM flag, as Spark's executor builder makes them") {
    checkExecutor("executor-pod-template.yaml") { c =>
      assert(env(c).get("FI_EFA_USE_HUGE_PAGE").contains("0"), "no huge pages requested, so none used")
      assert(!c.getResources.getLimits.asScala.keySet.exists(_.startsWith("hugepages-")))
    }
  }

  test("executor pods with huge pages: requests equal limits, with a memory request beside them, libfabric may use them") {
    checkExecutor("executor-pod-template-hugepages.yaml") { c =>
      val (limits, requests) = (c.getResources.getLimits.asScala, c.getResources.getRequests.asScala)
      assert(limits.get("hugepages-2Mi").map(mib).contains(512L) && requests.get("hugepages-2Mi") == limits.get("hugepages-2Mi"))
      assert(requests.contains("memory"), "Kubernetes admits huge pages only beside a memory or CPU request")
      assert(!env(c).contains("FI_EFA_USE_HUGE_PAGE"))
    }
  }

  test("the driver pod asks for no EFA device and no capability; the executor template travels in Spark's ConfigMap") {
    val spec = KubernetesPods.driver(submitConf("executor-pod-template.yaml"))
    val c = spec.pod.container
    assert(c.getName == "spark-kubernetes-driver" && c.getImage == Image)
    val resources = Option(c.getResources.getLimits).map(_.asScala.keySet).getOrElse(Set.empty) ++
      Option(c.getResources.getRequests).map(_.asScala.keySet).getOrElse(Set.empty)
    assert(!resources.contains(Efa), resources)
    assert(capabilities(c).isEmpty)
    val templates = spec.driverKubernetesResources.collect { case m: ConfigMap => m }
      .flatMap(_.getData.asScala.values).filter(_.contains(Efa))
    assert(templates.size == 1, "the executor template is not handed to the driver")
    assert(spec.systemProperties.get("spark.kubernetes.executor.podTemplateFile").exists(_.nonEmpty))
  }
}
