package io.efashuffle.transfer.transport;

import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Keys for registrations on providers that let the application choose them (no FI_MR_PROV_KEY):
 * a fresh unpredictable key per registration, so a peer cannot reach memory whose descriptor it
 * was not given by guessing small counters. Providers that choose keys get 0 (ignored).
 */
final class RegionKeys {
    private final boolean providerChooses;
    private final long mask;
    private final LongSupplier random;

    /**
     * @param providerChooses FI_MR_PROV_KEY is set
     * @param keyBytes        the domain's mr_key_size (0 or 8 and more: the whole long)
     */
    RegionKeys(boolean providerChooses, long keyBytes) {
        this(providerChooses, keyBytes, new SecureRandom()::nextLong);
    }

    RegionKeys(boolean providerChooses, long keyBytes, LongSupplier random) {
        this.providerChooses = providerChooses;
        this.mask = keyBytes <= 0 || keyBytes >= Long.BYTES ? -1L : (1L << (8 * keyBytes)) - 1;
        this.random = random;
    }

    /** The requested_key for the next fi_mr_reg; never 0 when the application chooses. */
    long next() {
        if (providerChooses) {
            return 0;
        }
        long k;
        do {
            k = random.getAsLong() & mask;
        } while (k == 0);
        return k;
    }
}
