package io.efashuffle.transfer.fabric;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts native objects that are open right now, by kind, so tests and the doctor can show that
 * every endpoint, registration and buffer is closed exactly once.
 */
public final class LiveObjects {
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private LiveObjects() {}

    static void opened(String kind) {
        COUNTS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    static void closed(String kind) {
        COUNTS.get(kind).decrementAndGet();
    }

    /** Open objects of one kind (e.g. "mr", "ep", "domain"). */
    public static long count(String kind) {
        AtomicLong c = COUNTS.get(kind);
        return c == null ? 0 : c.get();
    }

    /** Every kind with a non-zero count. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> {
            if (v.get() != 0) {
                out.put(k, v.get());
            }
        });
        return out;
    }
}
