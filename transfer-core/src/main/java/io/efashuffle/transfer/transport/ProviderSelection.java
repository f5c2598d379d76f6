package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.FabricHints;
import io.efashuffle.transfer.fabric.FabricInfo;
import io.efashuffle.transfer.fabric.Fi;

/**
 * Resolves the configured provider name. The rule for "auto": efa when fi_getinfo offers it
 * (an EFA interface exists and the EFA provider is installed), else tcp, which reaches peers on
 * this and other hosts alike. shm is only chosen explicitly: it reaches same-host peers only,
 * and a transport must be chosen before peers are known.
 */
public final class ProviderSelection {
    private ProviderSelection() {}

    public static String resolve(String configured) {
        if (!configured.equals("auto")) {
            return configured;
        }
        return isOffered("efa") ? "efa" : "tcp";
    }

    /** Whether fi_getinfo offers an RDM endpoint with RMA from this provider. */
    public static boolean isOffered(String provider) {
        try (FabricInfo info = FabricInfo.query(FabricHints.of(provider, null), Fi.requestedApiVersion())) {
            return info != null;
        }
    }
}
