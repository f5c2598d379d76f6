package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationSlotsTest {
    private static RmaOperation op() {
        return new RmaOperation(Opcode.READ, 0, 1, null, null, 0, 0, new long[] {0}, (o, e) -> { }, null);
    }

    @Test
    void aSecondCompletionOfOneContextFreesTheSlotOnlyOnce() {
        try (OperationSlots slots = new OperationSlots(4)) {
            RmaOperation first = op();
            int slot = slots.acquire(first);
            long context = slots.context(slot).address();
            assertSame(first, slots.complete(slots.slotOf(context)));
            assertNull(slots.complete(slots.slotOf(context)), "a duplicate completion returned an operation");
            assertEquals(0, slots.inUse());
            Set<Integer> handedOut = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                assertTrue(handedOut.add(slots.acquire(op())), "one slot handed out twice");
            }
            assertEquals(-1, slots.acquire(op()), "more slots than credits");
        }
    }
}
