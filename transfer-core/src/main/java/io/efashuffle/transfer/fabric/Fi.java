package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.LibfabricLibrary;
import io.efashuffle.transfer.fabric.ffi.fabric_h;

import java.lang.foreign.MemorySegment;

/** libfabric's process-wide calls: loading, version, error text, return-code checks. */
public final class Fi {
    /**
     * The newest API version this code is written against. Requests never go above it, so a newer
     * library keeps the behaviour this code expects; 1.18 is the first at which EFA turns device
     * RDMA read on.
     */
    public static final int HIGHEST_SUPPORTED_API = fabric_h.FI_VERSION(1, 22);
    /** Below this API version the EFA provider disables device RDMA read. */
    public static final int MIN_EFA_API = fabric_h.FI_VERSION(1, 18);

    private Fi() {}

    /**
     * Loads libfabric (its libraries may install signal handlers when they load, see
     * {@link SignalGuard}); throws {@link io.efashuffle.transfer.fabric.ffi.LibfabricUnavailableException}.
     */
    public static String load() {
        SignalGuard.checkSupported();
        return SignalGuard.call("loading libfabric", () -> LibfabricLibrary.load().path());
    }

    /** The runtime library's API version, FI_VERSION(major, minor). */
    public static int libraryVersion() {
        load();
        return fabric_h.fi_version();
    }

    /** The API version to request: the library's, capped at the highest this code supports. */
    public static int requestedApiVersion() {
        return Math.min(libraryVersion(), HIGHEST_SUPPORTED_API);
    }

    public static String versionString(int version) {
        return fabric_h.FI_MAJOR(version) + "." + fabric_h.FI_MINOR(version);
    }

    public static String strerror(int errno) {
        load();
        MemorySegment s = fabric_h.fi_strerror(Math.abs(errno));
        return s.equals(MemorySegment.NULL) ? ("errno " + errno) : s.getString(0);
    }

    /** Throws when a libfabric call returned a negative error code. */
    public static long check(long rc, String call) {
        if (rc < 0) {
            int errno = (int) -rc;
            throw new FabricException(call + " failed: " + strerror(errno) + " (-" + errno + ")", errno);
        }
        return rc;
    }
}
