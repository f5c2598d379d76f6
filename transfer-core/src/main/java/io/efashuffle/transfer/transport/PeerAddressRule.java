package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.util.HexFormat;

/**
 * Which peer endpoint names a rail may hand to fi_av_insert. The provider reads a name by its
 * address format, not by a length we pass: a fixed-size format (sockaddr, EFA's GID and QPN) as
 * many bytes as its own names have, FI_ADDR_STR up to the first NUL. A name from the registry
 * that is shorter, or a string without its NUL, would be read past its end in native memory.
 */
final class PeerAddressRule {
    /** The longest string address taken (shm reads at most this many bytes of one). */
    static final int MAX_STRING_NAME = 256;

    private final boolean strings;
    private final int length;

    private PeerAddressRule(boolean strings, int length) {
        this.strings = strings;
        this.length = length;
    }

    /** The rule for peers of an endpoint with this address format whose own name is {@code ownName}. */
    static PeerAddressRule of(int addressFormat, byte[] ownName) {
        return new PeerAddressRule(addressFormat == fabric_h.FI_ADDR_STR(), ownName.length);
    }

    /** Throws IllegalArgumentException, naming what is wrong, unless the provider may read {@code name}. */
    void check(String peer, byte[] name) {
        if (strings) {
            int nul = indexOfNul(name);
            if (nul <= 0 || name.length > MAX_STRING_NAME) {
                throw bad(peer, name, "a string address of 1-" + (MAX_STRING_NAME - 1)
                        + " characters ending in a NUL byte");
            }
        } else if (name.length != length) {
            throw bad(peer, name, "an address of " + length + " bytes, as this endpoint's own");
        }
    }

    private static int indexOfNul(byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (name[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static IllegalArgumentException bad(String peer, byte[] name, String expected) {
        String shown = name.length <= 64 ? HexFormat.of().formatHex(name)
                : HexFormat.of().formatHex(name, 0, 64) + "...";
        return new IllegalArgumentException("peer '" + peer + "' publishes endpoint name of " + name.length
                + " bytes (" + shown + "); this provider needs " + expected
                + ": a different provider or libfabric on that executor, or a corrupt descriptor");
    }
}
