package io.efashuffle.transfer.transport;

/**
 * EFA endpoint options from libfabric >= 1.18's {@code <rdma/fi_ext.h>} (FI_PROV_SPECIFIC_EFA
 * range). The 1.17 headers on the build machines only define FI_OPT_EFA_RNR_RETRY, so the ones the
 * transport uses are written down here from the 1.18+ header instead of being generated and probed.
 */
final class EfaOptions {
    private static final int FI_PROV_SPECIFIC_EFA = 0xefa << 16;
    static final int FI_OPT_EFA_RNR_RETRY = -FI_PROV_SPECIFIC_EFA;
    /** bool: RDMA read is emulated with sends (device RDMA read unavailable or off). */
    static final int FI_OPT_EFA_EMULATED_READ = FI_OPT_EFA_RNR_RETRY + 1;
    /** bool: RDMA write is emulated with sends (device RDMA write unavailable or off). */
    static final int FI_OPT_EFA_EMULATED_WRITE = FI_OPT_EFA_RNR_RETRY + 2;

    private EfaOptions() {}
}
