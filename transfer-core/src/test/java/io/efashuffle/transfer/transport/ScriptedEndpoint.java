package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.CompletionQueue;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * An endpoint for the rail's unit tests: posting answers what the test's script says (0,
 * -FI_EAGAIN, an error), and completions come when the test says, for the operations it names.
 * Safe to drive from the test thread while a progress thread polls it.
 */
final class ScriptedEndpoint implements RailEndpoint {
    private final int credits;
    /** What a post answers; 0 by default. */
    volatile ToLongFunction<RmaOperation> postAnswer = op -> 0;
    final List<RmaOperation> posted = new CopyOnWriteArrayList<>();
    private final Map<RmaOperation, Long> contextOf = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletionQueue.CompletionError> errors = new ConcurrentLinkedQueue<>();
    final List<Long> removedAddresses = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextAddress = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    ScriptedEndpoint(int credits) {
        this.credits = credits;
    }

    /** The provider completes {@code op} (again, if the test says so twice). */
    void complete(RmaOperation op) {
        completions.add(contextOf.get(op));
    }

    /** The provider completes {@code op} with an error. */
    void fail(RmaOperation op, int errno) {
        errors.add(new CompletionQueue.CompletionError(contextOf.get(op), errno, 0, "scripted error " + errno));
    }

    @Override
    public int credits() {
        return credits;
    }

    @Override
    public long post(RmaOperation op, MemorySegment context) {
        long rc = postAnswer.applyAsLong(op);
        if (rc == 0) {
            posted.add(op);
            contextOf.put(op, context.address());
        }
        return rc;
    }

    @Override
    public long readCompletions(MemorySegment entries, int max) {
        if (!errors.isEmpty()) {
            return -fabric_h.FI_EAVAIL();
        }
        int n = 0;
        Long c;
        while (n < max && (c = completions.poll()) != null) {
            entries.setAtIndex(ValueLayout.JAVA_LONG, n++, c);
        }
        return n == 0 ? -fabric_h.FI_EAGAIN() : n;
    }

    @Override
    public CompletionQueue.CompletionError readError() {
        return errors.poll();
    }

    @Override
    public boolean waitable() {
        return false;
    }

    @Override
    public long waitCompletions(MemorySegment entries, int max, int timeoutMillis) {
        return readCompletions(entries, max);
    }

    @Override
    public void signal() {
    }

    @Override
    public String pollEvent() {
        return null;
    }

    @Override
    public long insertAddress(byte[] name) {
        return nextAddress.getAndIncrement();
    }

    @Override
    public void removeAddress(long fiAddr) {
        removedAddresses.add(fiAddr);
    }

    @Override
    public void close(Runnable endpointClosed) {
        closes.incrementAndGet();
        endpointClosed.run();
    }
}
