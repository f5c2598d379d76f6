package org.apache.spark.deploy.k8s

import io.fabric8.kubernetes.client.{KubernetesClient, KubernetesClientBuilder}

import org.apache.spark.{SecurityManager, SparkConf}
import org.apache.spark.deploy.k8s.submit.{JavaMainAppResource, KubernetesDriverBuilder}
import org.apache.spark.resource.ResourceProfile
import org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBuilder

/**
 * The pods Spark itself would create from a configuration: spark-submit's driver builder and the
 * driver's executor builder, pod templates and all. The client only parses templates; nothing
 * talks to a Kubernetes API server.
 */
object KubernetesPods {
  private val AppId = "spark-efa-template-test"

  private def withClient[T](body: KubernetesClient => T): T = {
    val client = new KubernetesClientBuilder().build()
    try body(client) finally client.close()
  }

  def executor(conf: SparkConf): SparkPod = withClient { client =>
    val executorConf = KubernetesConf.createExecutorConf(conf, "1", AppId, None,
      ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID)
    new KubernetesExecutorBuilder().buildFromFeatures(executorConf, new SecurityManager(conf), client,
      ResourceProfile.getOrCreateDefaultProfile(conf)).pod
  }

  def driver(conf: SparkConf): KubernetesDriverSpec = withClient { client =>
    val driverConf = KubernetesConf.createDriverConf(conf, AppId, JavaMainAppResource(None),
      "org.example.ShuffleJob", Array.empty[String], None)
    new KubernetesDriverBuilder().buildFromFeatures(driverConf, client)
  }
}
