package io.efashuffle.spark

import java.util.jar.JarFile

import scala.jdk.CollectionConverters._
import scala.sys.process._

import org.scalatest.funsuite.AnyFunSuite

/**
 * The jar every executor carries holds the plugin, transfer-core (with doctor) and picocli, and
 * none of transfer-tools' benchmark and validation tools; its doctor still runs from it.
 */
class PluginJarSuite extends AnyFunSuite {
  private val jarPath = sys.props.getOrElse("efa.plugin.jar", fail("efa.plugin.jar not set"))

  private def entries: Seq[String] = {
    val jar = new JarFile(jarPath)
    try jar.entries().asScala.map(_.getName).toList finally jar.close()
  }

  test("the plugin jar carries the plugin, transfer-core and doctor, and no tool") {
    val names = entries
    val classes = names.filter(_.endsWith(".class"))
    info(s"${classes.size} classes, ${new java.io.File(jarPath).length() / 1024} KiB")
    for (needed <- Seq("org/apache/spark/shuffle/efa/EfaShuffleManager.class",
        "io/efashuffle/transfer/engine/TransferEngine.class", "io/efashuffle/transfer/doctor/DoctorCli.class",
        "picocli/CommandLine.class"))
      assert(names.contains(needed), s"$needed missing")
    val tools = names.filter(n => n.startsWith("io/efashuffle/transfer/tools/") || n.endsWith(".c"))
    assert(tools.isEmpty, s"tool entries in the plugin jar: ${tools.take(10)}")
    val manifest = new JarFile(jarPath)
    try assert(manifest.getManifest.getMainAttributes.getValue("Main-Class") == "io.efashuffle.transfer.doctor.DoctorCli")
    finally manifest.close()
  }

  test("java -jar <plugin jar> doctor checks this node") {
    val java = ProcessHandle.current().info().command().orElse("java")
    val out = new StringBuilder
    val rc = Seq(java, "-jar", jarPath, "doctor", "--provider", "tcp", "--nic", "lo") !
      ProcessLogger(l => out.append(l).append('\n'), l => out.append(l).append('\n'))
    assert(out.toString.contains("libfabric"), out.toString)
    assert(rc == 0, out.toString)
  }
}
