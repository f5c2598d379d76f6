package org.apache.spark.shuffle.efa.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who has inserted whom: marks, changes since a mark, the gate on reads, and the log's bound. */
class PeerLogTest {
    private static final byte[] D = {1};

    private static List<String> joined(RegistryMessage.PeerChanges c) {
        return c.joined().stream().map(RegistryMessage.PeerChanges.Joined::segmentName).toList();
    }

    @Test
    void aServerKnowsAReaderOnlyAfterReportingAMarkPastItsJoin() {
        PeerLog log = new PeerLog();
        log.join("a", D); // mark 1
        log.join("b", D); // mark 2
        assertFalse(log.knows("a", "b"), "a has not synced");
        RegistryMessage.PeerChanges first = log.sync("a", 0);
        assertEquals(2, first.through());
        assertEquals(List.of("b"), joined(first), "everyone but itself");
        assertFalse(log.knows("a", "b"), "told, but not yet inserted");
        RegistryMessage.PeerChanges second = log.sync("a", 2); // reports it has inserted through 2
        assertTrue(second.joined().isEmpty() && second.left().isEmpty());
        assertTrue(log.knows("a", "b"));
        log.join("c", D); // mark 3
        assertFalse(log.knows("a", "c"), "joined after a's mark");
        assertEquals(List.of("c"), joined(log.sync("a", 2)));
        log.sync("a", 3);
        assertTrue(log.knows("a", "c"));
    }

    @Test
    void departuresAreToldAndARepublishKeepsTheMark() {
        PeerLog log = new PeerLog();
        log.join("a", D);
        log.join("b", D);
        log.sync("a", 0);
        log.sync("a", 2);
        log.join("b", new byte[] {2}); // republished (more memory): not a new join
        assertTrue(log.knows("a", "b"));
        log.leave("b"); // mark 3
        RegistryMessage.PeerChanges c = log.sync("a", 2);
        assertEquals(List.of("b"), c.left());
        assertFalse(log.knows("a", "b"), "gone");
        log.leave("b"); // again: nothing
        assertEquals(3, log.sync("a", 3).through());
    }

    @Test
    void anExecutorThatHasNotJoinedIsToldNothingAndBadMarksAreRefused() {
        PeerLog log = new PeerLog();
        log.join("a", D);
        RegistryMessage.PeerChanges stranger = log.sync("x", 0);
        assertTrue(stranger.joined().isEmpty() && stranger.through() == 0);
        assertEquals(0, log.sync("a", 99).through(), "a mark from the future is not taken");
        assertEquals(0, log.sync("a", -1).through());
        assertFalse(log.knows("a", "x"));
    }

    @Test
    void theLogKeepsOnlyWhatTheSlowestExecutorHasNotSeenAndALateOneGetsTheLiveSet() {
        PeerLog log = new PeerLog();
        log.join("a", D);
        log.join("b", D);
        for (int i = 0; i < 100; i++) { // executors c0..c99 come and go
            log.join("c" + i, D);
            log.leave("c" + i);
        }
        long now = log.sync("a", 0).through();
        log.sync("a", now);
        assertTrue(log.retained() > 100, "b has synced nothing yet: all kept for it");
        RegistryMessage.PeerChanges forB = log.sync("b", 0);
        assertFalse(forB.complete(), "b's mark is still covered by the log");
        assertEquals(List.of("a"), joined(forB), "departed joiners are not offered");
        log.sync("b", forB.through());
        assertEquals(0, log.retained(), "everyone is past every change");
        log.join("d", D);
        log.sync("a", log.sync("a", now).through());
        log.sync("d", 0);
        log.sync("d", log.sync("d", 0).through());
        log.sync("b", forB.through()); // b is now the slowest
        RegistryMessage.PeerChanges late = log.sync("b", 1); // older than anything kept
        assertTrue(late.complete());
        assertEquals(List.of("a", "d"), joined(late).stream().sorted().toList());
    }
}
