package org.apache.spark.shuffle.efa.hostlocal;

import org.apache.spark.MapOutputTracker;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.ShuffleBlockId;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.Iterator;
import scala.collection.Seq;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the executor holding a shuffle block from this executor's MapOutputTracker. A map id is
 * one task attempt, so its owner never changes: a (shuffle, reduce partition) table stays right
 * and is rebuilt only when asked for a map id it has not seen (a recomputed map). The tracker's
 * statuses are already cached here, because the reduce task that asks has just read them. A table
 * costs one walk over the shuffle's map statuses and one entry per map, so only a few are kept
 * (enough for the reduce partitions this executor's running tasks read).
 */
public final class MapOutputOwners {
    private static final int MAX_TABLES = 16;

    private record Key(int shuffleId, int reduceId) {}

    private final MapOutputTracker tracker;
    private final Map<Key, Map<Long, BlockOwner>> tables = new ConcurrentHashMap<>();

    public MapOutputOwners(MapOutputTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * @throws IllegalStateException when the tracker has no output for the block (Spark's fetcher
     *         turns a failed host-local read into FetchFailed)
     */
    public BlockOwner ownerOf(ShuffleBlockId block) {
        Key key = new Key(block.shuffleId(), block.reduceId());
        BlockOwner owner = tables.getOrDefault(key, Map.of()).get(block.mapId());
        if (owner == null) {
            Map<Long, BlockOwner> table = table(block.shuffleId(), block.reduceId());
            if (tables.size() >= MAX_TABLES) {
                tables.clear(); // a cache: losing it costs one tracker walk per table
            }
            tables.put(key, table);
            owner = table.get(block.mapId());
        }
        if (owner == null) {
            throw new IllegalStateException(
                    "no map output with map id " + block.mapId() + " for " + block + " in the MapOutputTracker");
        }
        return owner;
    }

    private Map<Long, BlockOwner> table(int shuffleId, int reduceId) {
        Map<Long, BlockOwner> table = new HashMap<>();
        Iterator<Tuple2<BlockManagerId, Seq<Tuple3<BlockId, Object, Object>>>> all =
                tracker.getMapSizesByExecutorId(shuffleId, reduceId);
        while (all.hasNext()) {
            var byAddress = all.next();
            var blocks = byAddress._2().iterator();
            while (blocks.hasNext()) {
                Tuple3<BlockId, Object, Object> b = blocks.next();
                if (b._1() instanceof ShuffleBlockId id) {
                    table.put(id.mapId(), new BlockOwner(byAddress._1(), (Integer) b._3(), (Long) b._2()));
                }
            }
        }
        return table;
    }
}
