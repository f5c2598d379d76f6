package io.efashuffle.spark

import org.scalatest.{BeforeAndAfterAll, Suite}

/**
 * A suite whose executors compile as users' executors do (tiered, C2 included), though the test
 * run gives the other suites' executors C1 alone ([[ClusterConf.TestJit]]): C2 reorders and
 * inlines what C1 does not, and these suites are about the plugin's concurrency and native code
 * under load. Suites run one after another in one JVM, so a flag for this suite's run is enough;
 * confs the suite built before it ran lose C1 as their session starts ([[ClusterConf.forStart]]).
 */
trait UsersJit extends BeforeAndAfterAll { this: Suite =>
  override def beforeAll(): Unit = {
    ClusterConf.usersJit = true
    super.beforeAll()
  }

  override def afterAll(): Unit = try super.afterAll() finally ClusterConf.usersJit = false
}
