package org.apache.spark.shuffle.efa;

import io.efashuffle.transfer.transport.TransportConfig;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every {@code spark.shuffle.efa.*} setting, read and validated once. A bad value fails at start
 * with the key, the value and what is allowed, never later inside a task.
 */
public record EfaShuffleConf(
        TransportConfig transport,
        long bufferBudget,
        boolean prefault,
        boolean startEagerly,
        long writerReserve,
        long receivePoolSize,
        long receiveBufferSize,
        long maxBytesInFlight,
        int fetchRetries,
        Duration retryWait,
        Duration fetchTimeout,
        boolean fallback,
        boolean required,
        boolean oldFetchProtocol,
        FabricSecurityPolicy security) {

    public static final String PREFIX = "spark.shuffle.efa.";
    static final String TRANSPORT_PREFIX = PREFIX + "transport.";
    /**
     * Spark's switch for talking to a Spark 2.x external shuffle service. Its block ids carry the
     * map index instead of the map task attempt id, which defeats the check that a staged output
     * is the attempt the {@code MapStatus} names; so the plugin neither stages nor reads through
     * the fabric under it (the old service serves files anyway).
     */
    public static final String OLD_FETCH_PROTOCOL = "spark.shuffle.useOldFetchProtocol";

    /** Accept a provider weaker than Spark's own security settings promise (see FabricSecurityPolicy). */
    static final String ALLOW_UNPROTECTED_FABRIC = "security.allowUnprotectedFabric";

    private static final Set<String> KNOWN = Set.of(ALLOW_UNPROTECTED_FABRIC, "provider", "nics", "buffer.budget", "buffer.prefault", "startEagerly",
            "writer.reserve",
            "receive.poolSize", "receive.bufferSize", "reader.maxBytesInFlight", "fetch.retries",
            "fetch.retryWait", "fetch.timeout", "fallback.enabled", "required");

    public static EfaShuffleConf from(SparkConf conf) {
        Map<String, String> transport = new HashMap<>();
        for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix(PREFIX)) {
            String key = kv._1();
            if (key.startsWith("transport.")) {
                transport.put(key.substring("transport.".length()), kv._2());
            } else if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown setting " + PREFIX + key + "; known: "
                        + new java.util.TreeSet<>(KNOWN) + " and " + TRANSPORT_PREFIX + "*");
            }
        }
        transport.put("provider", conf.get(PREFIX + "provider", "auto"));
        if (conf.contains(PREFIX + "nics")) {
            transport.put("nics", conf.get(PREFIX + "nics"));
        }
        TransportConfig t;
        try {
            t = TransportConfig.fromProperties(transport);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + PREFIX + " transport setting: " + e.getMessage(), e);
        }
        long budget = bytes(conf, "buffer.budget", "1g", 0, 1L << 42);
        boolean prefault = bool(conf, "buffer.prefault", true);
        boolean eager = bool(conf, "startEagerly", true);
        // A map task's first extent can never be larger than the whole budget (it would never fit).
        long reserve = Math.min(bytes(conf, "writer.reserve", "32m", 64 << 10, 1L << 40), Math.max(budget, 64 << 10));
        long pool = bytes(conf, "receive.poolSize", "64m", 1 << 20, 1L << 40);
        long buffer = bytes(conf, "receive.bufferSize", "4m", 4 << 10, 1L << 31);
        if (buffer * 2 > pool) {
            throw invalid("receive.bufferSize", conf.get(PREFIX + "receive.bufferSize", "4m"),
                    "at most half of " + PREFIX + "receive.poolSize (" + pool + " bytes)");
        }
        long inFlight = bytes(conf, "reader.maxBytesInFlight", "48m", 4 << 10, 1L << 40);
        int retries = (int) number(conf, "fetch.retries", "3", 0, 100);
        Duration retryWait = Duration.ofMillis(millis(conf, "fetch.retryWait", "200ms", 0, 60_000));
        Duration timeout = Duration.ofMillis(millis(conf, "fetch.timeout", "120s", 100, 3_600_000));
        boolean fallback = bool(conf, "fallback.enabled", true);
        boolean required = bool(conf, "required", false);
        boolean oldProtocol = conf.getBoolean(OLD_FETCH_PROTOCOL, false);
        if (oldProtocol && (required || !fallback)) {
            throw new IllegalArgumentException(OLD_FETCH_PROTOCOL + "=true cannot be used with "
                    + (required ? PREFIX + "required=true" : PREFIX + "fallback.enabled=false")
                    + ": the old fetch protocol names map outputs by map index, not by task attempt, so the EFA "
                    + "shuffle cannot tell attempts apart and leaves the whole shuffle to Spark's built-in path. "
                    + "Set " + OLD_FETCH_PROTOCOL + "=false (it is only needed against a Spark 2.x external shuffle "
                    + "service), or allow the built-in path.");
        }
        FabricSecurityPolicy security = FabricSecurityPolicy.from(conf, bool(conf, ALLOW_UNPROTECTED_FABRIC, false));
        return new EfaShuffleConf(t, budget, prefault, eager, reserve, pool, buffer, inFlight,
                retries, retryWait, timeout, fallback, required, oldProtocol, security);
    }

    private static long bytes(SparkConf conf, String key, String dflt, long min, long max) {
        return parsed(conf, key, dflt, min, max, JavaUtils::byteStringAsBytes, "a size such as 512m or 2g",
                "a size from %d to %d bytes");
    }

    private static long millis(SparkConf conf, String key, String dflt, long min, long max) {
        return parsed(conf, key, dflt, min, max, JavaUtils::timeStringAsMs, "a duration such as 200ms or 30s",
                "a duration from %d to %d ms");
    }

    /** Reads {@code key} with Spark's own unit parser, then checks the range. */
    private static long parsed(SparkConf conf, String key, String dflt, long min, long max,
                               java.util.function.ToLongFunction<String> parser, String example, String range) {
        String v = conf.get(PREFIX + key, dflt).trim();
        long n;
        try {
            n = parser.applyAsLong(v);
        } catch (RuntimeException e) {
            throw invalid(key, v, example);
        }
        if (n < min || n > max) {
            throw invalid(key, v, String.format(range, min, max));
        }
        return n;
    }

    private static long number(SparkConf conf, String key, String dflt, long min, long max) {
        String v = conf.get(PREFIX + key, dflt).trim();
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(key, v, "a whole number from " + min + " to " + max);
    }

    private static boolean bool(SparkConf conf, String key, boolean dflt) {
        String v = conf.get(PREFIX + key, Boolean.toString(dflt)).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, v, "true or false");
        };
    }

    private static IllegalArgumentException invalid(String key, String value, String allowed) {
        return new IllegalArgumentException("invalid " + PREFIX + key + "=" + value + ": expected " + allowed);
    }
}
