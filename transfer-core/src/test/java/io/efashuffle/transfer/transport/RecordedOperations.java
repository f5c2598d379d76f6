package io.efashuffle.transfer.transport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Operations for the rail's unit tests, with every outcome and release their handler got, in order. */
final class RecordedOperations implements RmaOperation.Handler {
    final Map<RmaOperation, List<RuntimeException>> outcomes = new ConcurrentHashMap<>();
    final Map<RmaOperation, Integer> releases = new ConcurrentHashMap<>();
    /** "completed" and "released" events as they came, with the operation's attachment. */
    final List<String> events = new CopyOnWriteArrayList<>();

    /** A 4 KiB read from {@code peer}; its attachment names it. */
    RmaOperation read(RemotePeer peer, String name) {
        return new RmaOperation(Opcode.READ, 0, 4096, null, peer, 0, 0, new long[] {1}, this, name);
    }

    static FabricPeer peer(String segment, long fiAddr) {
        return new FabricPeer(segment, segment, new long[] {fiAddr}, true, 1, null);
    }

    @Override
    public void completed(RmaOperation op, RuntimeException errorOrNull) {
        RuntimeException outcome = errorOrNull == null ? new RuntimeException("ok") : errorOrNull;
        outcomes.compute(op, (o, list) -> { // published with its element: readers never see it empty
            List<RuntimeException> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(outcome);
            return l;
        });
        events.add("completed " + op.attachment());
    }

    @Override
    public void released(RmaOperation op) {
        releases.merge(op, 1, Integer::sum);
        events.add("released " + op.attachment());
    }

    /** The one outcome {@code op} got: null for success; fails if it got none or more than one. */
    RuntimeException outcome(RmaOperation op) {
        List<RuntimeException> o = outcomes.get(op);
        if (o == null || o.size() != 1) {
            throw new AssertionError(op.attachment() + " had " + (o == null ? 0 : o.size()) + " outcomes");
        }
        return "ok".equals(o.getFirst().getMessage()) && o.getFirst().getClass() == RuntimeException.class
                ? null : o.getFirst();
    }

    int releaseCount(RmaOperation op) {
        return releases.getOrDefault(op, 0);
    }
}
