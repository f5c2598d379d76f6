package org.apache.spark.shuffle.efa;

import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;

import java.util.Optional;

/**
 * The Spark, Scala and JDK lines the plugin is built and tested for, checked where the fabric would
 * start. Anything else is refused with one message that names what is supported and why; the
 * executor then uses the built-in shuffle (or fails its tasks under {@code required=true}).
 *
 * <ul>
 *   <li>JDK 25: the plugin calls libfabric through the Foreign Function and Memory API, final from
 *       JDK 22 (a preview in 21); its classes are compiled for 25, so an older JVM cannot even load
 *       them, and this check is the explanation a log can carry.</li>
 *   <li>Spark 4.2: Spark 4.0 and 4.1 run on JDK 17 or 21 and fail on JDK 24 and later in Hadoop's
 *       {@code UserGroupInformation} ({@code getSubject is not supported}) before any plugin code
 *       runs; Spark 3.5 has another shuffle plugin API; the plugin builds Spark's own fetcher and
 *       map statuses, internal APIs that a later Spark may change, so a later line is refused until
 *       it has been tested.</li>
 *   <li>Scala 2.13: the only Scala Spark 4 is built with.</li>
 * </ul>
 */
public final class SupportMatrix {
    static final String SPARK_LINE = "4.2";
    static final String SCALA_LINE = "2.13";
    static final int JDK = 25;
    /** Tests only: a Spark version to check instead of the running one, set in an executor's environment. */
    static final String TEST_SPARK_VERSION_ENV = "EFA_SHUFFLE_TEST_SPARK_VERSION";

    private SupportMatrix() {}

    /** Why the plugin cannot run in this process, if it cannot. */
    public static Optional<String> refusalHere() {
        String spark = System.getenv(TEST_SPARK_VERSION_ENV);
        return refusal(spark != null ? spark : SparkInternalApi.sparkVersion(),
                scala.util.Properties.versionNumberString(), Runtime.version().feature());
    }

    /** Why the plugin cannot run on these versions, if it cannot. */
    static Optional<String> refusal(String spark, String scala, int jdk) {
        String supported = " The EFA shuffle supports Spark " + SPARK_LINE + ".x with Scala " + SCALA_LINE
                + " on JDK " + JDK + ".";
        if (jdk < JDK) {
            return Optional.of("JDK " + jdk + " is too old: the plugin calls libfabric through the Foreign Function "
                    + "and Memory API of JDK " + JDK + "." + supported);
        }
        if (!line(scala).equals(SCALA_LINE)) {
            return Optional.of("Scala " + scala + " is not the Scala the plugin is built with." + supported);
        }
        String sparkLine = line(spark);
        if (sparkLine.equals(SPARK_LINE)) {
            return Optional.empty();
        }
        if (sparkLine.startsWith("3.")) {
            return Optional.of("Spark " + spark + " has another shuffle plugin API (Spark 3.x)." + supported);
        }
        if (sparkLine.equals("4.0") || sparkLine.equals("4.1")) {
            return Optional.of("Spark " + spark + " runs on JDK 17 or 21, where the plugin cannot, and fails on JDK 24 "
                    + "and later in Hadoop's UserGroupInformation (getSubject is not supported) before any plugin code "
                    + "runs." + supported);
        }
        return Optional.of("Spark " + spark + " is newer than the plugin has been tested with; it builds Spark's own "
                + "block fetcher and map statuses, internal APIs a later Spark may change." + supported);
    }

    /** "4.2" of "4.2.0" or "4.2.1-SNAPSHOT"; the whole string where it has no second dot-part. */
    private static String line(String version) {
        String[] parts = version.split("[.-]");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
