package io.efashuffle.transfer.transport;

import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Address-vector slots by peer address, shared by everyone who names the same address: the
 * segments a reader opens and the entries kept so that a peer can read us (on providers where the
 * target must know the initiator first). A provider may answer a second insert of an address
 * with the same fi_addr_t, so the slot is removed only when its last user lets go.
 */
final class PeerSlots {
    private static final class Slot {
        final long[] fiAddrs;
        int users;

        Slot(long[] fiAddrs) {
            this.fiAddrs = fiAddrs;
        }
    }

    private final Map<String, Slot> byAddress = new HashMap<>();

    /** The key of a peer's endpoint names (all rails). */
    static String key(List<byte[]> endpointNames) {
        StringBuilder b = new StringBuilder();
        for (byte[] n : endpointNames) {
            b.append(HexFormat.of().formatHex(n)).append('/');
        }
        return b.toString();
    }

    /** The slots of an address, inserted by {@code insert} on its first use. */
    synchronized long[] acquire(String key, Supplier<long[]> insert) {
        Slot s = byAddress.get(key);
        if (s == null) {
            s = new Slot(insert.get());
            byAddress.put(key, s);
        }
        s.users++;
        return s.fiAddrs;
    }

    /**
     * One user lets go; the last one removes the slots with {@code remove} under this lock, so a
     * concurrent insert of the same address cannot be handed the slot being removed.
     */
    synchronized void release(String key, Consumer<long[]> remove) {
        Slot s = byAddress.get(key);
        if (s == null) {
            return;
        }
        if (--s.users == 0) {
            byAddress.remove(key);
            remove.accept(s.fiAddrs);
        }
    }

    /** Distinct peer addresses held. */
    synchronized int size() {
        return byAddress.size();
    }
}
