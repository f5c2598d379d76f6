package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ProviderAttributes;

import java.util.List;

/**
 * The largest memory one registration may cover on every rail: the setting
 * {@code registrationBytes}, bounded by what is known of the provider's own limits.
 *
 * <p>EFA: libfabric does not pass the device's {@code max_mr_size} to applications (fi_info has
 * no such field: libfabric {@code prov/efa/src/efa_prov_info.c} copies only the count,
 * {@code mr_cnt}), and a registration the device cannot hold fails in {@code ibv_reg_mr}.
 * Mooncake's EFA transport registers in chunks of at most 22M page-table entries per NIC
 * ({@code mooncake-transfer-engine/src/transport/efa_transport/efa_transport.cpp},
 * {@code kDefaultMaxPteEntries}; "roughly 24 million PTEs per NIC", a figure AWS does not publish):
 * 88 GiB in 4 KiB pages. That is the default piece size on EFA here, since pages may be 4 KiB even
 * where huge pages were asked for; set {@code registrationBytes} to the device's
 * {@code max_mr_size} ({@code ibv_devinfo -v}) where that is smaller.
 */
final class RegistrationLimit {
    /** No limit of our own: only the provider's. */
    static final long DEFAULT_BYTES = Long.MAX_VALUE;
    /** Page-table entries one EFA NIC holds for registered memory (Mooncake's figure, see above). */
    static final long EFA_PAGE_TABLE_ENTRIES = 22L << 20;
    private static final long SMALL_PAGE = 4096;

    private RegistrationLimit() {}

    static long of(long configured, List<ProviderAttributes> rails) {
        long limit = configured;
        for (ProviderAttributes a : rails) {
            limit = Math.min(limit, providerLimit(a));
        }
        return limit;
    }

    static long providerLimit(ProviderAttributes a) {
        return a.isEfa() ? EFA_PAGE_TABLE_ENTRIES * SMALL_PAGE : Long.MAX_VALUE;
    }

    /**
     * Why a refused registration may have been refused, when memory registered on an EFA NIC
     * would pass its page-table budget in 4 KiB pages; null otherwise.
     */
    static String explainRefusal(List<ProviderAttributes> rails, long registeredBytes, long bytes) {
        boolean efa = rails.stream().anyMatch(ProviderAttributes::isEfa);
        long budget = EFA_PAGE_TABLE_ENTRIES * SMALL_PAGE;
        if (!efa || registeredBytes + bytes <= budget) {
            return null;
        }
        return "This NIC would then hold " + ((registeredBytes + bytes) >> 30) + " GiB of registered memory, more "
                + "than its page table holds in 4 KiB pages (about " + (EFA_PAGE_TABLE_ENTRIES >> 20) + "M entries, "
                + (budget >> 30) + " GiB): lower spark.shuffle.efa.buffer.budget and the receive pool, back the "
                + "memory with huge pages (transparent huge pages 'madvise' or 'always'), or spread executors over "
                + "NICs ('nics')";
    }
}
