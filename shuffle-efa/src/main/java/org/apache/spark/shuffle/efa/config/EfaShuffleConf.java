package org.apache.spark.shuffle.efa.config;

import io.efashuffle.transfer.transport.TransportConfig;
import org.apache.spark.SparkConf;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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
        FabricSecurityPolicy security,
        Duration peerSyncInterval) {

    public static final String PREFIX = EfaSetting.PREFIX;
    static final String TRANSPORT_PREFIX = PREFIX + EfaSetting.TRANSPORT_PREFIX;
    /**
     * Spark's switch for talking to a Spark 2.x external shuffle service. Its block ids carry the
     * map index instead of the map task attempt id, which defeats the check that a staged output
     * is the attempt the {@code MapStatus} names; so the plugin neither stages nor reads through
     * the fabric under it (the old service serves files anyway).
     */
    public static final String OLD_FETCH_PROTOCOL = "spark.shuffle.useOldFetchProtocol";

    /** Executors insert their peers ahead of reads (the peer sync runs, the driver gates lookups). */
    public boolean peersInsertedAhead() {
        return transport.peersInsertedAhead();
    }

    public static EfaShuffleConf from(SparkConf conf) {
        Map<String, String> transport = new HashMap<>();
        for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix(PREFIX)) {
            String key = kv._1();
            if (key.startsWith(EfaSetting.TRANSPORT_PREFIX)) {
                transport.put(key.substring(EfaSetting.TRANSPORT_PREFIX.length()), kv._2());
            } else if (EfaSetting.byKey(key) == null) {
                throw new IllegalArgumentException("unknown setting " + PREFIX + key + "; known: "
                        + new java.util.TreeSet<>(EfaSetting.keys()) + " and " + TRANSPORT_PREFIX + "*");
            }
        }
        transport.put("provider", EfaSetting.PROVIDER.text(conf));
        if (EfaSetting.NICS.isSet(conf)) {
            transport.put("nics", EfaSetting.NICS.text(conf));
        }
        // efa-direct serves only initiators the target knows: it needs the peers inserted ahead.
        boolean insertAhead = EfaSetting.PEERS_INSERT_AHEAD.bool(conf)
                || "efa-direct".equals(transport.getOrDefault("fabric", "").trim());
        if (insertAhead) {
            transport.put("peersInsertedAhead", "true");
        }
        TransportConfig t;
        try {
            t = TransportConfig.fromProperties(transport);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + PREFIX + " transport setting: " + e.getMessage(), e);
        }
        long budget = EfaSetting.BUFFER_BUDGET.bytes(conf);
        boolean prefault = EfaSetting.BUFFER_PREFAULT.bool(conf);
        boolean eager = EfaSetting.START_EAGERLY.bool(conf);
        // A map task's first extent can never be larger than the whole budget (it would never fit).
        long reserve = Math.min(EfaSetting.WRITER_RESERVE.bytes(conf), Math.max(budget, 64 << 10));
        long pool = EfaSetting.RECEIVE_POOL_SIZE.bytes(conf);
        long buffer = EfaSetting.RECEIVE_BUFFER_SIZE.bytes(conf);
        if (buffer * 2 > pool) {
            throw EfaSetting.RECEIVE_BUFFER_SIZE.invalid(EfaSetting.RECEIVE_BUFFER_SIZE.text(conf),
                    "at most half of " + EfaSetting.RECEIVE_POOL_SIZE.fullKey() + " (" + pool + " bytes)");
        }
        long inFlight = EfaSetting.READER_MAX_BYTES_IN_FLIGHT.bytes(conf);
        int retries = (int) EfaSetting.FETCH_RETRIES.number(conf);
        Duration retryWait = Duration.ofMillis(EfaSetting.FETCH_RETRY_WAIT.millis(conf));
        Duration timeout = Duration.ofMillis(EfaSetting.FETCH_TIMEOUT.millis(conf));
        boolean fallback = EfaSetting.FALLBACK_ENABLED.bool(conf);
        boolean required = EfaSetting.REQUIRED.bool(conf);
        boolean oldProtocol = conf.getBoolean(OLD_FETCH_PROTOCOL, false);
        if (oldProtocol && (required || !fallback)) {
            throw new IllegalArgumentException(OLD_FETCH_PROTOCOL + "=true cannot be used with "
                    + (required ? EfaSetting.REQUIRED.fullKey() + "=true" : EfaSetting.FALLBACK_ENABLED.fullKey() + "=false")
                    + ": the old fetch protocol names map outputs by map index, not by task attempt, so the EFA "
                    + "shuffle cannot tell attempts apart and leaves the whole shuffle to Spark's built-in path. "
                    + "Set " + OLD_FETCH_PROTOCOL + "=false (it is only needed against a Spark 2.x external shuffle "
                    + "service), or allow the built-in path.");
        }
        FabricSecurityPolicy security = FabricSecurityPolicy.from(conf, EfaSetting.ALLOW_UNPROTECTED_FABRIC.bool(conf));
        Duration peerSync = Duration.ofMillis(EfaSetting.PEERS_SYNC_INTERVAL.millis(conf));
        return new EfaShuffleConf(t, budget, prefault, eager, reserve, pool, buffer, inFlight,
                retries, retryWait, timeout, fallback, required, oldProtocol, security, peerSync);
    }
}
