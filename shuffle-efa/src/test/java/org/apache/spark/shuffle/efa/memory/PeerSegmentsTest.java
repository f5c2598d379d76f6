package org.apache.spark.shuffle.efa.memory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerSegmentsTest {
    /** An engine that counts: segment ids in order, and which are open. */
    private static final class CountingEngine implements PeerSegments.Engine {
        final Set<Long> open = new HashSet<>();
        final List<String> opened = new ArrayList<>();
        long next = 1;

        @Override
        public long open(String name) {
            opened.add(name);
            open.add(next);
            return next++;
        }

        @Override
        public void close(long segmentId) {
            assertTrue(open.remove(segmentId), "segment " + segmentId + " closed twice or never opened");
        }
    }

    private final CountingEngine engine = new CountingEngine();
    private final AtomicLong now = new AtomicLong();
    private final PeerSegments segments = new PeerSegments(engine, now::get, Duration.ofSeconds(120));

    private void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void tasksReadingOnePeerShareOneSegment() {
        var a = segments.lease("exec-1");
        var b = segments.lease("exec-1");
        assertEquals(a.segmentId(), b.segmentId());
        assertEquals(List.of("exec-1"), engine.opened);
        assertEquals(1, segments.open());
    }

    @Test
    void aSegmentNobodyReadForTheIdleTimeIsClosedAndOpenedAgainOnTheNextRead() {
        segments.lease("exec-1").close();
        pass(Duration.ofSeconds(119));
        segments.lease("exec-2").close(); // a lease sweeps: exec-1 is not idle long enough yet
        assertEquals(2, engine.open.size());
        pass(Duration.ofSeconds(2));
        var again = segments.lease("exec-2"); // exec-1 idle for 121 s: closed; exec-2 only 2 s
        assertEquals(Set.of(again.segmentId()), engine.open);
        assertEquals(1, segments.closed());
        var back = segments.lease("exec-1");
        assertEquals(List.of("exec-1", "exec-2", "exec-1"), engine.opened);
        assertEquals(2, segments.open());
        back.close();
    }

    @Test
    void aHeldSegmentIsNeverClosedForIdlenessHoweverLongItsTaskRuns() {
        var held = segments.lease("exec-1");
        pass(Duration.ofHours(1));
        segments.lease("exec-2");
        assertTrue(engine.open.contains(held.segmentId()));
    }

    @Test
    void aForgottenSegmentClosesWhenItsLastTaskEndsAndTheNextLeaseOpensAFreshOne() {
        var first = segments.lease("exec-1");
        var second = segments.lease("exec-1");
        segments.forget("exec-1");
        var fresh = segments.lease("exec-1");
        assertNotEquals(first.segmentId(), fresh.segmentId());
        assertEquals(2, segments.open());
        first.close();
        first.close(); // twice: harmless
        assertTrue(engine.open.contains(second.segmentId()), "closed under a task still reading it");
        second.close();
        assertEquals(Set.of(fresh.segmentId()), engine.open);
        assertEquals(1, segments.open());
    }

    @Test
    void forgettingASegmentNobodyHoldsClosesItAtOnce() {
        segments.lease("exec-1").close();
        segments.forget("exec-1");
        segments.forget("exec-1");
        assertTrue(engine.open.isEmpty());
        assertEquals(0, segments.open());
    }

    @Test
    void executorChurnLeavesOnlyThePeersReadLately() {
        for (int i = 0; i < 1000; i++) {
            segments.lease("exec-" + i).close();
            pass(Duration.ofSeconds(10));
        }
        // Read every 10 s, idle after 120 s: about a dozen stay open, not a thousand.
        assertTrue(segments.open() <= 13, "open segments: " + segments.open());
        assertEquals(segments.open(), engine.open.size());
    }
}
