package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.registry.ShuffleCounter;
import org.apache.spark.shuffle.efa.registry.ShuffleCounts;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.Iterator;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Map outputs withdrawn from the fabric while a task read them (their executor's fabric failed;
 * it still serves them through Spark's block transfer), or left by a reader that found no free
 * receive buffer ({@link ReceivePoolStarvedException}). Their blocks not yet handed out are read
 * by one Spark fetcher, started when the fabric's blocks are done: no FetchFailed and no
 * recomputation, as with Spark's own shuffle, whose executor is still there.
 */
final class WithdrawnOutputs {
    /** Spark's fetcher over the given blocks, by serving executor (EfaShuffleReader's). */
    interface SparkFetcher {
        Iterator<Tuple2<BlockId, InputStream>> fetch(
                List<Tuple2<BlockManagerId, List<Tuple3<BlockId, Object, Object>>>> blocks);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WithdrawnOutputs.class);

    private final SparkFetcher sparkFetcher;
    private final ShuffleCounts.Tally counters;
    private final Set<MapRead> maps = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<BlockManagerId, List<Tuple3<BlockId, Object, Object>>> byAddress = new LinkedHashMap<>();
    private Iterator<Tuple2<BlockId, InputStream>> fetching;

    WithdrawnOutputs(SparkFetcher sparkFetcher, ShuffleCounts.Tally counters) {
        this.sparkFetcher = sparkFetcher;
        this.counters = counters;
    }

    boolean contains(MapRead m) {
        return !maps.isEmpty() && maps.contains(m);
    }

    /** {@code m} is withdrawn; {@code blocks} of it are still to be read. */
    void add(MapRead m, List<ShuffleBlockId> blocks) {
        add(m, blocks, "executor " + m.location.executorId() + " withdrew its outputs from the fabric");
    }

    /** {@code blocks} of {@code m} are still to be read, through Spark's fetcher because of {@code why}. */
    void add(MapRead m, List<ShuffleBlockId> blocks, String why) {
        if (fetching != null) {
            throw new IllegalStateException("map outputs withdrawn after Spark's fetcher started");
        }
        maps.add(m);
        List<Tuple3<BlockId, Object, Object>> list = byAddress.computeIfAbsent(m.address, a -> new ArrayList<>());
        for (ShuffleBlockId id : blocks) {
            list.add(new Tuple3<>(id, m.statusSizes.get(id.reduceId()), m.location.mapIndex()));
        }
        counters.add(ShuffleCounter.FALLBACK_BLOCKS, blocks.size());
        LOG.info("reading {} block(s) of map {} (attempt {}) through Spark's block transfer: {}", blocks.size(),
                m.location.mapIndex(), m.location.mapId(), why);
    }

    /** Whether blocks remain; starts Spark's fetcher on the first call that finds some. */
    boolean hasNext() {
        if (fetching == null) {
            if (byAddress.values().stream().allMatch(List::isEmpty)) {
                return false;
            }
            List<Tuple2<BlockManagerId, List<Tuple3<BlockId, Object, Object>>>> blocks = new ArrayList<>();
            byAddress.forEach((address, list) -> {
                if (!list.isEmpty()) {
                    blocks.add(new Tuple2<>(address, list));
                }
            });
            fetching = sparkFetcher.fetch(blocks);
        }
        return fetching.hasNext();
    }

    Tuple2<BlockId, InputStream> next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        return fetching.next();
    }
}
