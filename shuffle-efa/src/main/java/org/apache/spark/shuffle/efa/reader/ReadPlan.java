package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.storage.ShuffleBlockId;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a reduce task's blocks lie once their maps' indexes are known, and the one-sided reads
 * that fetch them: each remote map's requested partitions as one range of its data, split into
 * pieces of at most one receive buffer, laid end to end in the task's byte sequence. Same-executor
 * blocks are slices of the executor's own memory and come first, so they are handed out while the
 * first reads are in flight. Pure: it issues nothing.
 */
final class ReadPlan {
    /** One block to hand out: {@code localBytes} when read in place, else {@code start} in the byte sequence. */
    record Block(ShuffleBlockId id, MapRead map, long start, long length, MemorySegment localBytes) {
        boolean remote() {
            return localBytes == null;
        }

        long end() {
            return start + length;
        }
    }

    /** One read: {@code length} bytes at {@code remoteAddress} of {@code map}'s segment, landing at {@code start}. */
    record Piece(MapRead map, long remoteAddress, long length, long start) {
        long end() {
            return start + length;
        }
    }

    final List<Block> blocks;
    final List<Piece> pieces;

    private ReadPlan(List<Block> blocks, List<Piece> pieces) {
        this.blocks = blocks;
        this.pieces = pieces;
    }

    /**
     * Lays out {@code maps}, whose offsets are known, in reads of at most {@code bufferSize} bytes.
     * Empty partitions yield no block. A block whose emptiness disagrees with its MapStatus is refused.
     *
     * @param localArena the executor's own shuffle memory (for same-executor maps), or null
     */
    static ReadPlan lay(List<MapRead> maps, long bufferSize, MemorySegment localArena) {
        List<Block> local = new ArrayList<>();
        List<Block> remote = new ArrayList<>();
        List<Piece> pieces = new ArrayList<>();
        long position = 0;
        for (MapRead m : maps) {
            long base = m.offsets[0];
            long rangeEnd = m.offsets[m.offsets.length - 1];
            for (ShuffleBlockId id : m.blocks) {
                int i = id.reduceId() - m.first();
                long len = m.offsets[i + 1] - m.offsets[i];
                checkAgainstStatus(m, id, len);
                if (len <= 0) {
                    continue; // empty in the index: nothing to deserialize
                }
                if (m.local != null) {
                    long at = m.local.extent().offset() + m.offsets[i];
                    local.add(new Block(id, m, 0, len, localArena.asSlice(at, len)));
                } else {
                    remote.add(new Block(id, m, position + (m.offsets[i] - base), len, null));
                }
            }
            if (m.local == null) {
                for (long off = base; off < rangeEnd; off += bufferSize) {
                    long len = Math.min(bufferSize, rangeEnd - off);
                    pieces.add(new Piece(m, m.location.dataAddress() + off, len, position + (off - base)));
                }
                position += rangeEnd - base;
            }
        }
        local.addAll(remote);
        return new ReadPlan(List.copyOf(local), List.copyOf(pieces));
    }

    /** The piece that holds byte {@code position} of the sequence, searching from piece {@code from} on. */
    int pieceAt(long position, int from) {
        int lo = from, hi = pieces.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (pieces.get(mid).start() <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The end of the run of blocks that starts at block {@code from}: the blocks after it of the same
     * map output whose bytes follow on without a gap (one map's partitions of a task's range), read
     * the same way (all in place or all through receive buffers). Such a run can be handed out as
     * one stream, as Spark's fetcher reads a {@code ShuffleBlockBatchId}.
     */
    int runEnd(int from) {
        int to = from + 1;
        while (to < blocks.size() && follows(blocks.get(to - 1), blocks.get(to))) {
            to++;
        }
        return to;
    }

    /**
     * As {@link #runEnd(int)}, but a run through receive buffers ends before the block that would
     * make it span more than {@code maxPieces} pieces: all of a run's buffers are taken before it
     * is handed out, so a run never waits for a buffer halfway. A first block wider than that is
     * a run of its own.
     */
    int runEnd(int from, int maxPieces) {
        int end = runEnd(from);
        Block first = blocks.get(from);
        if (!first.remote()) {
            return end;
        }
        int firstPiece = pieceAt(first.start(), 0);
        int to = from + 1;
        while (to < end && pieceAt(blocks.get(to).end() - 1, firstPiece) - firstPiece < maxPieces) {
            to++;
        }
        return to;
    }

    private static boolean follows(Block a, Block b) {
        if (a.map() != b.map() || a.remote() != b.remote()) {
            return false;
        }
        return a.remote() ? b.start() == a.end()
                : b.localBytes().address() == a.localBytes().address() + a.length();
    }

    /**
     * A block's size in the MapStatus and in the index must agree on emptiness (the MapStatus
     * records empty blocks exactly): an index that says otherwise (all zeros, say) is corrupt.
     */
    private static void checkAgainstStatus(MapRead m, ShuffleBlockId id, long indexLength) {
        Long status = m.statusSizes.get(id.reduceId());
        if (status != null && (indexLength == 0) != (status == 0)) {
            throw new FabricFetchException(m, "index of map " + m.location.mapIndex() + " (attempt "
                    + m.location.mapId() + ") on executor " + m.location.executorId() + " gives partition "
                    + id.reduceId() + " " + indexLength + " bytes where its MapStatus says " + status, null);
        }
    }
}
