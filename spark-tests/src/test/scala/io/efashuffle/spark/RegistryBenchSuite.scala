package io.efashuffle.spark

import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.registry.{AppShape, RegistryBench, RegistryDriverProcess, SimulatedApplication}

/**
 * registry-bench's simulator at a small size, through its own code: the plugin's driver registry
 * in a driver JVM of its own, simulated executors as real RpcEnv clients on loopback. Asserts the
 * protocol's invariants, not timings: every executor that joined (in waves, and the replacements
 * of those lost mid-map-stage, half of them vanishing without withdrawing) is servable by every
 * live peer, every departed executor's segment and map outputs are gone from the driver, every
 * map output is listed at its last attempt, and every ask is answered.
 */
class RegistryBenchSuite extends AnyFunSuite {
  test("registry-bench at 12 executors: every join servable, every departure removed, every ask answered") {
    val shape = AppShape(executors = 12, maps = 3000, reducers = 60, waves = 3, lost = 4, waiting = 3,
      taskRate = 3000, syncIntervalMs = 200, checkedReaders = 12)
    val driver = new RegistryDriverProcess(512)
    val run = try SimulatedApplication.run(shape, driver) finally driver.close()
    assert(run.problems.isEmpty, run.problems.mkString("; "))
    val sent = run.phases.flatMap(_.messages).groupMapReduce(_._1)(_._2)(_ + _)
    // Every kind of the protocol travelled: joins, syncs, outputs (with 4 lost ones recomputed),
    // look-ups, reports, probes and the graceful half of the departures.
    assert(sent("PUBLISH_SEGMENT") == 16 && sent("REMOVE_SEGMENT") == 2, sent)
    assert(sent("PUBLISH_MAP_OUTPUT") > shape.maps && sent("REPORT_STATS") == shape.reducers, sent)
    assert(Seq("SYNC_PEERS", "LOOKUP_MAP_OUTPUTS", "LOOKUP_SEGMENT").forall(sent.getOrElse(_, 0L) > 0), sent)
    assert(run.joinToServable.length == 12)
    assert(RegistryBench.tables(Seq(RegistryBench.Measured(run, Map("heap" -> 1L, "serializedBytes" -> 1L))))
      .exists(_.startsWith("| 12 ")))
  }
}
