package org.apache.spark.shuffle.efa.config;

import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Every {@code spark.shuffle.efa.*} setting, declared once: key, kind, default, range and what it
 * does. {@link EfaShuffleConf} reads and validates through these; the README's configuration
 * table and the shipped configuration files are checked against them ({@code EfaSettingTest}).
 * The transport's own settings ({@code transport.*}) are declared by transfer-core's
 * {@code TransportConfig}.
 */
public enum EfaSetting {
    PROVIDER("provider", Kind.TEXT, "auto", 0, 0,
            "`efa`, `shm`, `tcp`, `sockets`; `auto` = `efa` when present, else `tcp`"),
    NICS("nics", Kind.TEXT, null, 0, 0,
            "comma-separated libfabric domains (e.g. `lo` for tcp on one host; EFA: `rdmap0s6-rdm`); "
                    + "unset = the provider's first domain"),
    BUFFER_BUDGET("buffer.budget", Kind.SIZE, "1g", 0, 1L << 42,
            "registered bytes per executor for map outputs (virtual until written; EFA pins it all at start: "
                    + "count it in `spark.executor.memoryOverhead`). `0` = files only"),
    BUFFER_PREFAULT("buffer.prefault", Kind.BOOLEAN, "true", 0, 0,
            "make registered memory resident in the background ahead of use (huge pages where THP allows), so "
                    + "map tasks do not write at page-fault speed: the receive pool at start, the budget 256 MiB "
                    + "ahead of the highest byte map outputs have used, so a fresh executor does not populate a "
                    + "budget it has not used; on EFA registration pins it all anyway. `false` = pages fault in "
                    + "on first write"),
    START_EAGERLY("startEagerly", Kind.BOOLEAN, "true", 0, 0,
            "an executor starts the fabric (maps and registers its memory, opens its endpoints, publishes its "
                    + "segment) as it launches, on a thread of its own; tasks that run before it has started use "
                    + "Spark's built-in path (map outputs to files, Spark's fetcher) instead of waiting (unless "
                    + "`required` or `fallback.enabled=false`), so a fresh executor's first tasks and a replacement's "
                    + "recomputed ones never wait. `false` = start at the first "
                    + "shuffle task, for applications that rarely shuffle and should not hold registered memory "
                    + "until they do"),
    WRITER_RESERVE("writer.reserve", Kind.SIZE, "32m", 64 << 10, 1L << 40,
            "first extent a map task writes into (less when only smaller holes are free); grows in place or moves"),
    RECEIVE_POOL_SIZE("receive.poolSize", Kind.SIZE, "64m", 1 << 20, 1L << 40,
            "registered receive buffers per executor, shared by its reduce tasks"),
    RECEIVE_BUFFER_SIZE("receive.bufferSize", Kind.SIZE, "4m", 4 << 10, 1L << 31,
            "size of one receive buffer = largest single data read; at most half the pool"),
    READER_MAX_BYTES_IN_FLIGHT("reader.maxBytesInFlight", Kind.SIZE, "48m", 4 << 10, 1L << 40,
            "a reduce task's prefetch limit"),
    FETCH_RETRIES("fetch.retries", Kind.NUMBER, "3", 0, 100,
            "retries of a failed fabric read before FetchFailed"),
    FETCH_RETRY_WAIT("fetch.retryWait", Kind.DURATION, "200ms", 0, 60_000,
            "wait between retries"),
    FETCH_TIMEOUT("fetch.timeout", Kind.DURATION, "120s", 100, 3_600_000,
            "longest wait for one read or for a free receive buffer"),
    FALLBACK_ENABLED("fallback.enabled", Kind.BOOLEAN, "true", 0, 0,
            "use the built-in path where the fabric cannot start (or until a transient start failure clears)"),
    ALLOW_UNPROTECTED_FABRIC("security.allowUnprotectedFabric", Kind.BOOLEAN, "false", 0, 0,
            "accept a provider weaker than Spark's own security settings promise: tcp/sockets under "
                    + "`spark.authenticate` or network encryption, efa under network encryption without "
                    + "`spark.io.encryption.enabled` (`FabricSecurityPolicy`; README's security section)"),
    PEERS_INSERT_AHEAD("peers.insertAhead", Kind.BOOLEAN, "false", 0, 0,
            "every executor inserts the application's other executors into its address vector as they register "
                    + "with the driver, and removes them as they leave, so a reader's first read needs no handshake "
                    + "with the server; a reader is given a server's map outputs once that server has inserted it "
                    + "(Spark's fetcher reads them until then; each later task of the reader's executor asks again, so "
                    + "they return to the fabric once the server has synced). With it, `transport.fabric=auto` takes "
                    + "efa-direct where the node offers it; `transport.fabric=efa-direct` requires it and turns it on"),
    PEERS_SYNC_INTERVAL("peers.syncInterval", Kind.DURATION, "1s", 10, 60_000,
            "with `peers.insertAhead`: how often an executor asks the driver for executors that joined or left"),
    REQUIRED("required", Kind.BOOLEAN, "false", 0, 0,
            "fail every task that needs the fabric where it cannot start, naming this setting, instead of "
                    + "falling back (the job fails after `spark.task.maxFailures`)");

    public static final String PREFIX = "spark.shuffle.efa.";
    /** The transport's settings, passed to transfer-core's {@code TransportConfig} without this prefix. */
    public static final String TRANSPORT_PREFIX = "transport.";

    /** How a value is written and checked. */
    public enum Kind { TEXT, BOOLEAN, NUMBER, SIZE, DURATION }

    private final String key;
    private final Kind kind;
    private final String defaultValue;
    private final long min;
    private final long max;
    private final String doc;

    EfaSetting(String key, Kind kind, String defaultValue, long min, long max, String doc) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.doc = doc;
    }

    /** The key without {@link #PREFIX}. */
    public String key() {
        return key;
    }

    public String fullKey() {
        return PREFIX + key;
    }

    public Kind kind() {
        return kind;
    }

    /** The default as a user would write it; null where there is none (decided at run time). */
    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The setting whose key (without prefix) this is, or null. */
    public static EfaSetting byKey(String key) {
        for (EfaSetting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(EfaSetting::key).toList();
    }

    /** The value as written, or the default. */
    public String text(SparkConf conf) {
        return conf.get(fullKey(), defaultValue);
    }

    public boolean isSet(SparkConf conf) {
        return conf.contains(fullKey());
    }

    public boolean bool(SparkConf conf) {
        require(Kind.BOOLEAN);
        String v = text(conf).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(v, "true or false");
        };
    }

    /** Bytes, with Spark's units (512m, 2g). */
    public long bytes(SparkConf conf) {
        require(Kind.SIZE);
        return parsed(conf, JavaUtils::byteStringAsBytes, "a size such as 512m or 2g", "a size from %d to %d bytes");
    }

    /** Milliseconds, with Spark's units (200ms, 30s). */
    public long millis(SparkConf conf) {
        require(Kind.DURATION);
        return parsed(conf, JavaUtils::timeStringAsMs, "a duration such as 200ms or 30s", "a duration from %d to %d ms");
    }

    public long number(SparkConf conf) {
        require(Kind.NUMBER);
        return parsed(conf, Long::parseLong, "a whole number from " + min + " to " + max,
                "a whole number from %d to %d");
    }

    /** The error for a value outside what this setting allows. */
    public IllegalArgumentException invalid(String value, String allowed) {
        return new IllegalArgumentException("invalid " + fullKey() + "=" + value + ": expected " + allowed);
    }

    private long parsed(SparkConf conf, ToLongFunction<String> parser, String example, String range) {
        String v = text(conf).trim();
        long n;
        try {
            n = parser.applyAsLong(v);
        } catch (RuntimeException e) {
            throw invalid(v, example);
        }
        if (n < min || n > max) {
            throw invalid(v, String.format(range, min, max));
        }
        return n;
    }

    private void require(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException(fullKey() + " is a " + kind + " setting, not " + expected);
        }
    }
}
