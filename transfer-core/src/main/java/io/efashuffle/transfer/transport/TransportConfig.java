package io.efashuffle.transfer.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of a {@link FabricTransport}. Every value is checked when built; a bad one fails with
 * a message naming the key and the allowed values.
 *
 * @param provider          auto, efa, shm, tcp or sockets ("auto": efa when present, else tcp)
 * @param nics              domain (NIC) names, one rail each; empty = the provider's first;
 *                          "*" = every domain the provider offers (all EFA devices)
 * @param fabric            libfabric fabric name to require, or "auto" ({@link FabricChoice})
 * @param mrModeOverride    FI_MR_* bits to offer instead of all supported ones (testing), or -1
 * @param maxOutstanding    cap on operations in flight per rail (further bounded by tx_attr->size)
 * @param operationBytes    largest single fi_read/fi_write (further bounded by max_msg_size)
 * @param registrationBytes largest single memory registration; larger memory is registered in
 *                          pieces (further bounded by what the provider reports, see
 *                          {@link RegistrationLimit})
 * @param progress          idle strategy of the progress thread
 * @param spinIterations    empty polls before an idle progress thread sleeps
 * @param busySpinIterations empty polls, with operations in flight, before the thread parks 50 µs
 *                          between polls (not in SPIN): spinning through a long transfer only
 *                          takes a core from the tasks that consume the data
 * @param idleWaitMillis    fi_cq_sread timeout per sleep (WAIT)
 * @param maxParkMicros     longest park between polls when idle (PARK)
 * @param operationTimeout  an operation without completion by then fails and its peer is lost
 * @param memlockCheck      auto (on for efa), on, off: check RLIMIT_MEMLOCK before registering
 * @param peersInsertedAhead the application inserts every peer that may read this process into its
 *                          address vector before that peer reads ({@link Transport#connect} as peers
 *                          join): what {@code efa-direct} requires of an RMA target ({@link FabricChoice})
 */
public record TransportConfig(String provider, List<String> nics, String fabric, int mrModeOverride, int maxOutstanding,
                              long operationBytes, long registrationBytes, ProgressMode progress, int spinIterations,
                              int busySpinIterations, int idleWaitMillis, int maxParkMicros, Duration operationTimeout,
                              String memlockCheck, boolean peersInsertedAhead) {

    public static final Set<String> PROVIDERS = Set.of("auto", "efa", "shm", "tcp", "sockets");
    /** Every key {@link #fromProperties} takes, in the record's order. */
    public static final List<String> KEYS = List.of("provider", "nics", "fabric", "mrModeOverride", "maxOutstanding",
            "operationBytes", "registrationBytes", "progress", "spinIterations", "busySpinIterations", "idleWaitMillis", "maxParkMicros",
            "operationTimeoutMillis", "memlockCheck", "peersInsertedAhead");
    private static final Set<String> MEMLOCK = Set.of("auto", "on", "off");

    public TransportConfig {
        provider = provider.toLowerCase(Locale.ROOT).trim();
        require(PROVIDERS.contains(provider), "provider", provider, "one of " + PROVIDERS);
        nics = List.copyOf(nics);
        fabric = fabric.trim();
        require(!fabric.isEmpty(), "fabric", fabric, "auto or a libfabric fabric name (fi_info -p PROVIDER)");
        require(maxOutstanding >= 1 && maxOutstanding <= 1 << 16, "maxOutstanding", maxOutstanding, "1..65536");
        require(operationBytes >= 4096, "operationBytes", operationBytes, ">= 4096");
        require(registrationBytes >= 4096, "registrationBytes", registrationBytes, ">= 4096");
        require(spinIterations >= 0, "spinIterations", spinIterations, ">= 0");
        require(busySpinIterations >= 0, "busySpinIterations", busySpinIterations, ">= 0");
        require(idleWaitMillis >= 1 && idleWaitMillis <= 60_000, "idleWaitMillis", idleWaitMillis, "1..60000");
        require(maxParkMicros >= 1 && maxParkMicros <= 1_000_000, "maxParkMicros", maxParkMicros, "1..1000000");
        // At most a day, so deadlines computed in nanoseconds cannot overflow.
        require(!operationTimeout.isNegative() && !operationTimeout.isZero()
                && operationTimeout.compareTo(Duration.ofDays(1)) <= 0, "operationTimeoutMillis",
                operationTimeout.toMillis(), "1..86400000");
        memlockCheck = memlockCheck.toLowerCase(Locale.ROOT);
        require(MEMLOCK.contains(memlockCheck), "memlockCheck", memlockCheck, "one of " + MEMLOCK);
    }

    public static TransportConfig defaults(String provider) {
        // spinIterations 20: see the README's configuration table for the measurements behind it.
        return new TransportConfig(provider, List.of(), FabricChoice.AUTO, -1, 1024, 64L << 20,
                RegistrationLimit.DEFAULT_BYTES, ProgressMode.AUTO,
                20, 200, 100, 200, Duration.ofSeconds(30), "auto", false);
    }

    /**
     * Reads settings from string properties (keys without prefix, as listed on the record),
     * starting from the defaults. Unknown keys are refused so that a typo is not silently ignored.
     */
    public static TransportConfig fromProperties(Map<String, String> props) {
        Map<String, String> p = new HashMap<>(props);
        TransportConfig d = defaults(p.getOrDefault("provider", "auto"));
        p.remove("provider");
        List<String> nics = p.containsKey("nics") ? Arrays.stream(p.remove("nics").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList() : d.nics;
        String fabric = p.containsKey("fabric") ? p.remove("fabric") : d.fabric;
        TransportConfig c = new TransportConfig(d.provider, nics, fabric,
                intValue(p, "mrModeOverride", d.mrModeOverride),
                intValue(p, "maxOutstanding", d.maxOutstanding),
                longValue(p, "operationBytes", d.operationBytes),
                longValue(p, "registrationBytes", d.registrationBytes),
                p.containsKey("progress") ? progress(p.remove("progress")) : d.progress,
                intValue(p, "spinIterations", d.spinIterations),
                intValue(p, "busySpinIterations", d.busySpinIterations),
                intValue(p, "idleWaitMillis", d.idleWaitMillis),
                intValue(p, "maxParkMicros", d.maxParkMicros),
                Duration.ofMillis(longValue(p, "operationTimeoutMillis", d.operationTimeout.toMillis())),
                p.containsKey("memlockCheck") ? p.remove("memlockCheck") : d.memlockCheck,
                p.containsKey("peersInsertedAhead") ? bool(p.remove("peersInsertedAhead"), "peersInsertedAhead")
                        : d.peersInsertedAhead);
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("unknown transport setting(s) " + p.keySet() + "; known: "
                    + String.join(", ", KEYS));
        }
        return c;
    }

    public TransportConfig withFabric(String value) {
        return new TransportConfig(provider, nics, value, mrModeOverride, maxOutstanding, operationBytes, registrationBytes, progress,
                spinIterations, busySpinIterations, idleWaitMillis, maxParkMicros, operationTimeout, memlockCheck, peersInsertedAhead);
    }

    public TransportConfig withNics(List<String> value) {
        return new TransportConfig(provider, value, fabric, mrModeOverride, maxOutstanding, operationBytes, registrationBytes, progress,
                spinIterations, busySpinIterations, idleWaitMillis, maxParkMicros, operationTimeout, memlockCheck, peersInsertedAhead);
    }

    public TransportConfig withProgress(ProgressMode value) {
        return new TransportConfig(provider, nics, fabric, mrModeOverride, maxOutstanding, operationBytes, registrationBytes, value,
                spinIterations, busySpinIterations, idleWaitMillis, maxParkMicros, operationTimeout, memlockCheck, peersInsertedAhead);
    }

    public TransportConfig withOperationTimeout(Duration value) {
        return new TransportConfig(provider, nics, fabric, mrModeOverride, maxOutstanding, operationBytes, registrationBytes, progress,
                spinIterations, busySpinIterations, idleWaitMillis, maxParkMicros, value, memlockCheck, peersInsertedAhead);
    }

    private static boolean bool(String v, String key) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("transport setting '" + key + "' = '" + v
                    + "' is invalid; allowed: true, false");
        };
    }

    private static ProgressMode progress(String v) {
        try {
            return ProgressMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transport setting 'progress' = '" + v
                    + "' is invalid; allowed: auto, spin, wait, park");
        }
    }

    /** A whole number that fits an int: a larger one is refused, never truncated. */
    private static int intValue(Map<String, String> p, String key, int dflt) {
        String raw = p.get(key);
        long v = longValue(p, key, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("transport setting '" + key + "' = '" + raw + "' is out of range (at most "
                    + Integer.MAX_VALUE + ")");
        }
        return (int) v;
    }

    private static long longValue(Map<String, String> p, String key, long dflt) {
        String v = p.remove(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.decode(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("transport setting '" + key + "' = '" + v + "' is not a number");
        }
    }

    private static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("transport setting '" + key + "' = '" + value
                    + "' is invalid; allowed: " + allowed);
        }
    }
}
