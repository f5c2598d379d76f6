package org.apache.spark.shuffle.efa.fabric;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Residency as the kernel reports it (Rss of the mapping in /proc/self/smaps). */
class MemoryPrefaulterTest {
    private static final long MIB = 1 << 20;

    private static long residentBytes(NativeMapping m) throws IOException {
        String start = Long.toHexString(m.memory().address());
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's header line
                in = line.startsWith(start + "-");
            } else if (in && line.startsWith("Rss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("mapping at " + start + " not in smaps");
    }

    private static boolean eventually(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    @Test
    void theBudgetIsPopulatedAheadOfUseNotUpFront() throws Exception {
        try (NativeMapping receive = new NativeMapping(8 * MIB); NativeMapping shuffle = new NativeMapping(1024 * MIB)) {
            try (MemoryPrefaulter p = new MemoryPrefaulter(receive, shuffle)) {
                assertTrue(eventually(() -> rss(receive) >= 8 * MIB), "receive pool not populated");
                assertTrue(eventually(() -> rss(shuffle) >= MemoryPrefaulter.AHEAD), "window not populated");
                Thread.sleep(300);
                long fresh = residentBytes(shuffle);
                assertTrue(fresh < 400 * MIB, "a fresh executor populated " + (fresh >> 20) + " MiB of a 1 GiB budget");
                p.advance(600 * MIB);
                assertTrue(eventually(() -> rss(shuffle) >= 850 * MIB), "the window did not follow the high-water mark: "
                        + (rss(shuffle) >> 20) + " MiB");
            }
        }
    }

    private static long rss(NativeMapping m) {
        try {
            return residentBytes(m);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
