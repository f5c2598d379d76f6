package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportConfigTest {
    @Test
    void propertiesOverrideDefaults() {
        TransportConfig c = TransportConfig.fromProperties(Map.of("provider", "SHM", "nics", "a, b",
                "maxOutstanding", "64", "progress", "park", "operationTimeoutMillis", "1500"));
        assertEquals("shm", c.provider());
        assertEquals(List.of("a", "b"), c.nics());
        assertEquals(64, c.maxOutstanding());
        assertEquals(ProgressMode.PARK, c.progress());
        assertEquals(1500, c.operationTimeout().toMillis());
    }

    @Test
    void badValuesNameTheKeyAndTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("provider", "verbs")));
        assertTrue(e.getMessage().contains("'provider'") && e.getMessage().contains("efa"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("maxOutstanding", "0")));
        assertTrue(e.getMessage().contains("maxOutstanding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("operationBytes", "lots")));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("progress", "sometimes")));
        assertTrue(e.getMessage().contains("spin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("maxOutstandng", "5")));
        assertTrue(e.getMessage().contains("unknown") && e.getMessage().contains("maxOutstandng"), e.getMessage());
    }

    @Test
    void valuesTooLargeAreRefusedNotTruncated() {
        // 2^32 + 64 would become 64 credits through an int cast.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("maxOutstanding", "4294967360")));
        assertTrue(e.getMessage().contains("maxOutstanding") && e.getMessage().contains("out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("spinIterations", "0x100000000")));
        assertTrue(e.getMessage().contains("spinIterations"), e.getMessage());
        // A timeout whose deadline in nanoseconds would overflow.
        e = assertThrows(IllegalArgumentException.class,
                () -> TransportConfig.fromProperties(Map.of("operationTimeoutMillis", Long.toString(Long.MAX_VALUE))));
        assertTrue(e.getMessage().contains("operationTimeoutMillis") && e.getMessage().contains("86400000"),
                e.getMessage());
        assertEquals(86_400_000, TransportConfig.fromProperties(Map.of("operationTimeoutMillis", "86400000"))
                .operationTimeout().toMillis());
    }

    @Test
    void memlockDecisionAndAdvice() {
        MemlockLimit low = new MemlockLimit(8 << 20, false, false);
        assertTrue(low.allows(0, 4 << 20));
        assertTrue(!low.allows(6 << 20, 4 << 20));
        assertTrue(low.explain(6 << 20, 4 << 20).contains("ulimit -l unlimited"));
        assertTrue(new MemlockLimit(8 << 20, false, true).allows(1L << 40, 1L << 40), "CAP_IPC_LOCK ignores the limit");
        assertTrue(new MemlockLimit(Long.MAX_VALUE, true, false).allows(1L << 40, 1L << 40));
    }
}
