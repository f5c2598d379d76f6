package io.efashuffle.transfer.transport;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * An endpoint's address-vector entries, one per peer address. An entry whose last user let go
 * while operations to it were still held is removed when the last of those is released, or taken
 * back by the next insert of the same address: never inserted twice, since shm unmaps a peer on
 * any remove, whatever the use count. The progress thread's.
 */
final class AddressVectorEntries {
    private final RailEndpoint endpoint;
    private final Map<ByteBuffer, Long> removalsDeferred = new HashMap<>();
    private final Map<Long, ByteBuffer> addressOf = new HashMap<>();

    AddressVectorEntries(RailEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    long insert(byte[] name) {
        ByteBuffer key = ByteBuffer.wrap(name.clone());
        Long kept = removalsDeferred.remove(key);
        if (kept != null) {
            return kept;
        }
        long fiAddr = endpoint.insertAddress(name);
        addressOf.put(fiAddr, key);
        return fiAddr;
    }

    /** Removes an entry now, or once nothing {@code inUse} says holds it. */
    void remove(long fiAddr, LongPredicate inUse) {
        if (inUse.test(fiAddr)) {
            removalsDeferred.put(addressOf.get(fiAddr), fiAddr);
        } else {
            removeNow(fiAddr);
        }
    }

    /** Removes the deferred entries nothing holds any more. */
    void removeReleased(LongPredicate inUse) {
        if (removalsDeferred.isEmpty()) {
            return;
        }
        removalsDeferred.values().removeIf(fiAddr -> {
            if (inUse.test(fiAddr)) {
                return false;
            }
            removeNow(fiAddr);
            return true;
        });
    }

    int awaitingRelease() {
        return removalsDeferred.size();
    }

    private void removeNow(long fiAddr) {
        addressOf.remove(fiAddr);
        endpoint.removeAddress(fiAddr);
    }
}
