package org.apache.spark.shuffle.efa;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupportMatrixTest {
    private static String refused(String spark, String scala, int jdk) {
        Optional<String> why = SupportMatrix.refusal(spark, scala, jdk);
        assertTrue(why.isPresent(), spark + " / " + scala + " / JDK " + jdk + " was accepted");
        assertTrue(why.get().endsWith("The EFA shuffle supports Spark 4.2.x with Scala 2.13 on JDK 25."), why.get());
        return why.get();
    }

    @Test
    void spark42OnScala213AndJdk25OrLaterRuns() {
        assertEquals(Optional.empty(), SupportMatrix.refusal("4.2.0", "2.13.16", 25));
        assertEquals(Optional.empty(), SupportMatrix.refusal("4.2.1-SNAPSHOT", "2.13.17", 26));
    }

    @Test
    void eachUnsupportedLineIsRefusedWithItsReason() {
        assertTrue(refused("4.1.3", "2.13.16", 25).contains("getSubject is not supported"));
        assertTrue(refused("4.0.2", "2.13.16", 25).contains("JDK 17 or 21"));
        assertTrue(refused("3.5.6", "2.13.8", 25).contains("another shuffle plugin API"));
        assertTrue(refused("4.3.0", "2.13.16", 25).contains("newer than the plugin has been tested with"));
        assertTrue(refused("5.0.0", "2.13.16", 25).contains("newer"));
        assertTrue(refused("4.2.0", "2.12.18", 25).contains("Scala 2.12.18"));
        assertTrue(refused("4.2.0", "3.3.4", 25).contains("Scala 3.3.4"));
        assertTrue(refused("4.2.0", "2.13.16", 21).contains("JDK 21 is too old"));
    }

    @Test
    void theRunningProcessIsSupported() {
        assertEquals(Optional.empty(), SupportMatrix.refusalHere(), "the versions this suite runs on");
    }
}
