package io.efashuffle.spark

import org.scalatest.{BeforeAndAfterAll, Suite}

/**
 * A suite whose executors compile as users' executors do (tiered, C2 included), though the test
 * run gives the other suites' executors C1 alone ([[ClusterConf.TestJit]]): C2 reorders and
 * inlines what C1 does not, and these suites are about the plugin's concurrency and native code
 * under load. Suites run one after another in one JVM, so clearing the property for this
 * suite's run is enough.
 */
trait UsersJit extends BeforeAndAfterAll { this: Suite =>
  private var testJit: Option[String] = None

  override def beforeAll(): Unit = {
    testJit = sys.props.remove(ClusterConf.TestJit)
    super.beforeAll()
  }

  override def afterAll(): Unit = try super.afterAll() finally testJit.foreach(sys.props.put(ClusterConf.TestJit, _))
}
