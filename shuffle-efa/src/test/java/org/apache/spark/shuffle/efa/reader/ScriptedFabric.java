package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;
import io.efashuffle.transfer.engine.TransferRequest;
import io.efashuffle.transfer.transport.TransportException;
import org.apache.spark.shuffle.efa.memory.ReceivePool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fabric for the reader's unit tests: peers' segments are byte arrays in this process, a read
 * copies from one at once, and the test scripts what each read does instead (fail, never answer,
 * land damaged bytes) and when this executor's own fabric stops posting.
 */
final class ScriptedFabric implements ReaderFabric {
    /** What a read does, chosen per request by the test's script. */
    enum Outcome { LAND, HOLD }

    /** The read lands with its byte at {@code at} damaged, as a transfer gone wrong. */
    record Flip(long at) {}

    /** A read the script looks at: the peer's segment name and the remote address. */
    record Read(String segment, long address, long length) {}

    private final Arena arena = Arena.ofShared();
    private final ReceivePool pool;
    private final Map<String, Long> ids = new HashMap<>();
    private final Map<Long, MemorySegment> memory = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    final List<Read> reads = new ArrayList<>();
    final List<FakeTransfer> held = new ArrayList<>();
    /** Decides each read; null: every read lands. A read may also fail: return its exception. */
    Function<Read, Object> script;
    /** Submits from this one on throw, as when this executor's rail has failed; -1: never. */
    int failSubmitsFrom = -1;
    int submits;
    int leasesOpen;
    final List<String> forgotten = new ArrayList<>();

    ScriptedFabric(int buffers, long bufferSize) {
        this.pool = new ReceivePool(arena.allocate(buffers * bufferSize, 64), bufferSize);
    }

    /** A peer's segment holding {@code bytes} at address 0. */
    void addSegment(String name, byte[] bytes) {
        long id = ids.size() + 1;
        ids.put(name, id);
        names.put(id, name);
        MemorySegment m = arena.allocate(Math.max(1, bytes.length));
        m.copyFrom(MemorySegment.ofArray(bytes));
        memory.put(id, m);
    }

    @Override
    public Transfer submit(List<TransferRequest> requests) {
        if (failSubmitsFrom >= 0 && submits >= failSubmitsFrom) {
            throw new TransportException("rail 0 failed (scripted)", -5);
        }
        submits++;
        FakeTransfer t = new FakeTransfer(requests.size());
        boolean hold = false;
        RuntimeException error = null;
        for (int i = 0; i < requests.size(); i++) {
            TransferRequest r = requests.get(i);
            Read read = new Read(names.get(r.targetId()), r.targetAddress(), r.length());
            reads.add(read);
            Object what = script == null ? Outcome.LAND : script.apply(read);
            MemorySegment local = MemorySegment.ofAddress(r.localAddress()).reinterpret(r.length());
            if (what instanceof RuntimeException e) {
                t.errors[i] = e;
                error = error == null ? e : error;
            } else if (what == Outcome.HOLD) {
                hold = true;
            } else {
                local.copyFrom(memory.get(r.targetId()).asSlice(r.targetAddress(), r.length()));
                if (what instanceof Flip f) {
                    local.set(ValueLayout.JAVA_BYTE, f.at(), (byte) (local.get(ValueLayout.JAVA_BYTE, f.at()) ^ 0x5a));
                }
            }
        }
        if (hold) {
            held.add(t);
        } else if (error != null) {
            t.released.complete(null);
            t.done.completeExceptionally(error);
        } else {
            t.released.complete(null);
            t.done.complete(null);
        }
        return t;
    }

    /** The provider lets go of every held read (as after a peer's departure): they fail and are released. */
    void releaseHeld() {
        for (FakeTransfer t : held) {
            t.done.completeExceptionally(new TransportException("endpoint closed (scripted)", -5));
            t.released.complete(null);
        }
        held.clear();
    }

    @Override
    public ReceivePool receivePool() {
        return pool;
    }

    @Override
    public MemorySegment localMemory() {
        return null;
    }

    @Override
    public SegmentLease leaseSegment(String name) {
        Long id = ids.get(name);
        if (id == null) {
            throw new IllegalStateException("no segment " + name + " in the driver registry");
        }
        leasesOpen++;
        return new SegmentLease() {
            boolean closed;

            @Override
            public long segmentId() {
                return id;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    leasesOpen--;
                }
            }
        };
    }

    @Override
    public void forgetSegment(String name) {
        forgotten.add(name);
    }
}
