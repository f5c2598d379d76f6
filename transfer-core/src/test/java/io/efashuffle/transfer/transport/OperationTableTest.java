package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rail's operation table against a scripted endpoint, driven from the test thread as its
 * progress thread: each operation gets exactly one outcome and exactly one release, never before
 * the provider let go of it; a peer answering -FI_EAGAIN holds back only its own operations; a
 * peer's address goes only once nothing to it is held. (Real providers: TwoRailsTest,
 * BacklogPerPeerTest, DeferredPeerRemovalTest.)
 */
class OperationTableTest {
    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(50);
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint(4);
    private final OperationTable table = new OperationTable(0, endpoint, TIMEOUT);
    private final RecordedOperations ops = new RecordedOperations();
    private final FabricPeer a = RecordedOperations.peer("a", 0);
    private final FabricPeer b = RecordedOperations.peer("b", 1);

    @AfterEach
    void close() {
        table.close();
    }

    @Test
    void aPeerAnsweringEagainHoldsBackOnlyItsOwnOperationsAndTheyKeepTheirOrder() {
        endpoint.postAnswer = op -> op.peer == a ? -fabric_h.FI_EAGAIN() : 0;
        RmaOperation a1 = ops.read(a, "a1");
        RmaOperation b1 = ops.read(b, "b1");
        RmaOperation a2 = ops.read(a, "a2");
        RmaOperation b2 = ops.read(b, "b2");
        for (RmaOperation op : List.of(a1, b1, a2, b2)) {
            table.offer(op);
        }
        table.postBacklog(256);
        assertEquals(List.of(b1, b2), endpoint.posted, "b's reads go past a's");
        assertTrue(table.backlogged());

        endpoint.postAnswer = op -> 0; // a connected
        table.postBacklog(256);
        assertEquals(List.of(b1, b2, a1, a2), endpoint.posted, "a's in their order");
        assertFalse(table.backlogged());
    }

    @Test
    void withEveryCreditTakenOperationsWaitAndArePostedAsCompletionsFreeCredits() {
        RmaOperation[] reads = new RmaOperation[6];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = ops.read(a, "r" + i);
            table.offer(reads[i]);
        }
        assertEquals(4, endpoint.posted.size(), "4 credits");
        endpoint.complete(reads[0]);
        endpoint.complete(reads[1]);
        assertEquals(2, table.drainCompletions());
        table.postBacklog(256);
        assertEquals(6, endpoint.posted.size());
        assertNull(ops.outcome(reads[0]));
        assertEquals(1, ops.releaseCount(reads[0]));
        assertEquals(List.of("released r0", "completed r0", "released r1", "completed r1"), ops.events,
                "released before its outcome: whoever sees the outcome finds the memory free");
    }

    @Test
    void anOperationPastItsDeadlineFailsAtOnceButIsReleasedOnlyWhenTheProviderLetsGoOnce() {
        RmaOperation late = ops.read(a, "late");
        table.offer(late);
        table.expireOverdue(System.nanoTime() + 2 * TIMEOUT);
        assertInstanceOf(OperationTimeoutException.class, ops.outcome(late));
        assertEquals(0, ops.releaseCount(late), "the provider may still write its memory");
        assertTrue(table.abandonedHeld());
        assertFalse(table.busy(), "a failed read the provider holds keeps nobody awake");
        table.expireOverdue(System.nanoTime() + 4 * TIMEOUT);
        assertEquals(1, ops.outcomes.get(late).size(), "one outcome");

        endpoint.complete(late); // the late answer lands
        table.drainCompletions();
        assertEquals(1, ops.releaseCount(late));
        assertEquals(1, ops.outcomes.get(late).size(), "its late success is no second outcome");
        endpoint.complete(late); // a second completion of the same context
        table.drainCompletions();
        assertEquals(1, ops.releaseCount(late), "released exactly once");
        assertFalse(table.abandonedHeld());
    }

    @Test
    void aBacklogEntryPastItsDeadlineWasNeverPostedAndIsReleasedWithItsFailure() {
        endpoint.postAnswer = op -> -fabric_h.FI_EAGAIN();
        RmaOperation waiting = ops.read(a, "waiting");
        table.offer(waiting);
        table.expireOverdue(System.nanoTime() + 2 * TIMEOUT);
        assertInstanceOf(OperationTimeoutException.class, ops.outcome(waiting));
        assertEquals(1, ops.releaseCount(waiting));
        assertFalse(table.holding());
    }

    @Test
    void aLostPeerGetsNoPostAndABrokenConnectionFailsOnlyItsOperation() {
        a.markLost();
        RmaOperation toLost = ops.read(a, "lost");
        table.offer(toLost);
        assertTrue(endpoint.posted.isEmpty());
        assertInstanceOf(PeerLostException.class, ops.outcome(toLost));
        assertEquals(1, ops.releaseCount(toLost));

        RmaOperation broken = ops.read(b, "broken");
        RmaOperation fine = ops.read(b, "fine");
        table.offer(broken);
        table.offer(fine);
        endpoint.fail(broken, fabric_h.FI_ECONNRESET());
        endpoint.complete(fine);
        table.drainCompletions();
        table.drainCompletions();
        assertInstanceOf(PeerLostException.class, ops.outcome(broken));
        assertNull(ops.outcome(fine), "the other read of that peer is not failed with it");
        assertFalse(b.isLost(), "tcp connects again: the peer is not marked lost");

        RmaOperation failing = ops.read(b, "failing");
        endpoint.postAnswer = op -> -fabric_h.FI_EINVAL();
        table.offer(failing);
        assertInstanceOf(TransportException.class, ops.outcome(failing));
        assertEquals(1, ops.releaseCount(failing));
    }

    @Test
    void closeGivesPostedOperationsABoundedTimeThenFailsThemAndReleasesThemAfterTheEndpoint() {
        RmaOperation answered = ops.read(a, "answered");
        RmaOperation silent = ops.read(a, "silent");
        RmaOperation queued = ops.read(b, "queued");
        table.offer(answered);
        table.offer(silent);
        endpoint.postAnswer = op -> -fabric_h.FI_EAGAIN();
        table.offer(queued);
        endpoint.complete(answered);
        RailFailedException closed = new RailFailedException("transport closed", fabric_h.FI_ECANCELED());
        table.drainForClose(closed, TimeUnit.MILLISECONDS.toNanos(20));
        assertNull(ops.outcome(answered));
        assertEquals(closed, ops.outcome(silent));
        assertEquals(0, ops.releaseCount(silent), "not while the endpoint may still write it");
        assertEquals(closed, ops.outcome(queued));
        assertEquals(1, ops.releaseCount(queued), "never posted");

        endpoint.close(table::releaseAll);
        assertEquals(1, ops.releaseCount(silent));
        assertEquals(1, ops.outcomes.get(silent).size());
    }

    @Test
    void aPeersAddressGoesOnlyOnceNothingToItIsHeldAndAnInsertTakesItBack() {
        long first = table.addresses().insert(new byte[] {1});
        FabricPeer peer = RecordedOperations.peer("p", first);
        RmaOperation held = ops.read(peer, "held");
        table.offer(held);
        table.expireOverdue(System.nanoTime() + 2 * TIMEOUT); // failed, still held by the provider
        table.addresses().remove(first, table::inUse);
        assertTrue(endpoint.removedAddresses.isEmpty(), "kept while the provider holds a read to it");
        assertEquals(1, table.addresses().awaitingRelease());

        assertEquals(first, table.addresses().insert(new byte[] {1}), "the same address is not inserted twice");
        assertEquals(0, table.addresses().awaitingRelease());
        table.addresses().remove(first, table::inUse);
        endpoint.complete(held);
        table.drainCompletions();
        table.removeReleasedPeers();
        assertEquals(List.of(first), endpoint.removedAddresses, "removed once its last read was let go");
    }
}
