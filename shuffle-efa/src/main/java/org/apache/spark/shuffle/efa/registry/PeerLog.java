package org.apache.spark.shuffle.efa.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's account of which executors know which peers, for providers where an RMA target
 * must hold the initiator in its address vector before the initiator's first read (libfabric's
 * efa-direct). Each segment's join and departure takes the next mark; an executor inserts what
 * changed after the mark it has reached and then reports the new mark with its next sync; a
 * server's map outputs are handed to a reader only once the server has reported a mark at or past
 * the reader's join ({@link #knows}). Until then the reader fetches them through Spark.
 *
 * <p>Changes every live segment has passed are dropped, so the log stays as long as the slowest
 * executor is behind; one whose mark is older than what is kept gets the whole live set instead.
 */
final class PeerLog {
    private record Change(String segmentName, byte[] descriptor) {} // descriptor null: left

    private long last;
    /** Changes after {@code keptAfter} are in {@code changes}. */
    private long keptAfter;
    private final TreeMap<Long, Change> changes = new TreeMap<>();
    private final Map<String, Long> joinedAt = new HashMap<>();
    private final Map<String, byte[]> descriptors = new LinkedHashMap<>();
    private final Map<String, Long> reached = new HashMap<>();
    /**
     * How many joined segments have reached each mark (0: not synced yet), so that the slowest is
     * found without visiting every executor on every sync: prune runs on each of them, and a
     * scan would cost the driver executors^2 a sync interval.
     */
    private final TreeMap<Long, Integer> marksReached = new TreeMap<>();

    /** A segment was published; a republished one (more memory, same endpoints) keeps its mark. */
    synchronized void join(String name, byte[] descriptor) {
        descriptors.put(name, descriptor);
        if (!joinedAt.containsKey(name)) {
            joinedAt.put(name, ++last);
            changes.put(last, new Change(name, descriptor));
            reached.put(name, 0L);
            count(0L, 1);
        }
    }

    /** A segment was withdrawn or its executor lost. */
    synchronized void leave(String name) {
        if (joinedAt.remove(name) == null) {
            return;
        }
        descriptors.remove(name);
        count(reached.remove(name), -1);
        changes.put(++last, new Change(name, null));
        prune();
    }

    /**
     * {@code asker} has inserted every change up to {@code mark}: the changes after it. An asker
     * that has not joined (withdrawn, or not yet published) is told nothing and its mark not kept.
     */
    synchronized RegistryMessage.PeerChanges sync(String asker, long mark) {
        if (!joinedAt.containsKey(asker) || mark < 0 || mark > last) {
            return new RegistryMessage.PeerChanges(mark < 0 || mark > last ? 0 : mark, false, List.of(), List.of());
        }
        long before = reached.get(asker);
        if (mark > before) {
            reached.put(asker, mark);
            count(before, -1);
            count(mark, 1);
        }
        List<RegistryMessage.PeerChanges.Joined> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        boolean complete = mark < keptAfter;
        if (complete) {
            descriptors.forEach((name, d) -> {
                if (!name.equals(asker)) {
                    joined.add(new RegistryMessage.PeerChanges.Joined(name, d));
                }
            });
        } else {
            for (Change c : changes.tailMap(mark, false).values()) {
                if (c.segmentName().equals(asker)) {
                    continue;
                }
                if (c.descriptor() == null) {
                    left.add(c.segmentName());
                } else if (descriptors.containsKey(c.segmentName())) {
                    joined.add(new RegistryMessage.PeerChanges.Joined(c.segmentName(), descriptors.get(c.segmentName())));
                }
            }
        }
        prune();
        return new RegistryMessage.PeerChanges(last, complete, joined, left);
    }

    /** Whether {@code server} has inserted {@code reader}: it reported a mark at or past the reader's join. */
    synchronized boolean knows(String server, String reader) {
        Long joined = joinedAt.get(reader);
        Long mark = reached.get(server);
        return joined != null && mark != null && mark >= joined;
    }

    /** Forgets every segment; marks go on from the last one given. */
    synchronized void clear() {
        changes.clear();
        joinedAt.clear();
        descriptors.clear();
        reached.clear();
        marksReached.clear();
        keptAfter = last;
    }

    /** Marks kept in the log (for tests of its bound). */
    synchronized int retained() {
        return changes.size();
    }

    private void count(long mark, int delta) {
        marksReached.merge(mark, delta, (a, b) -> a + b == 0 ? null : a + b);
    }

    private void prune() {
        long slowest = marksReached.isEmpty() ? last : Math.min(last, marksReached.firstKey());
        if (slowest > keptAfter) {
            changes.headMap(slowest, true).clear();
            keptAfter = slowest;
        }
    }
}
