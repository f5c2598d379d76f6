package io.efashuffle.transfer.fabric;

import io.efashuffle.transfer.fabric.ffi.fabric_h;

/**
 * What fi_getinfo returned for one provider/domain: the contract the transport must obey.
 *
 * @param provider     provider name, e.g. "efa", "shm", "tcp;ofi_rxm", "sockets"
 * @param fabric       fabric name
 * @param domain       domain (NIC) name, e.g. "lo", "rdmap0s6-rdm"
 * @param apiVersion   the API version granted
 * @param caps         capability bits
 * @param mode         mode bits (FI_CONTEXT/FI_CONTEXT2: the app owns a context per operation)
 * @param mrMode       FI_MR_* bits the provider requires
 * @param threading    granted threading model
 * @param controlProgress FI_PROGRESS_AUTO or FI_PROGRESS_MANUAL: connection set-up and control messages
 * @param dataProgress FI_PROGRESS_AUTO or FI_PROGRESS_MANUAL: whether operations (a peer's reads of
 *                     our memory among them) move on without the application calling into the provider
 * @param txSize       transmit queue depth: the credits for outstanding operations
 * @param rmaIovLimit  iovecs per RMA operation (1 on EFA)
 * @param maxMsgSize   largest single transfer
 * @param mrKeySize    bytes of an MR key
 * @param addressFormat fi_info's addr_format (FI_SOCKADDR_IN, FI_ADDR_STR, FI_ADDR_EFA, ...): how
 *                     fi_av_insert reads a peer's name, so how long a name must be
 */
public record ProviderAttributes(String provider, String fabric, String domain, int apiVersion,
                                 long caps, long mode, int mrMode, int threading, int controlProgress,
                                 int dataProgress,
                                 long txSize, long rmaIovLimit, long maxMsgSize, long mrKeySize,
                                 int addressFormat) {

    public boolean virtualAddressing() {
        return (mrMode & fabric_h.FI_MR_VIRT_ADDR()) != 0;
    }

    public boolean providerKeys() {
        return (mrMode & fabric_h.FI_MR_PROV_KEY()) != 0;
    }

    public boolean endpointBoundRegions() {
        return (mrMode & fabric_h.FI_MR_ENDPOINT()) != 0;
    }

    /**
     * Whether the provider serves peers' operations on its own (fi_domain_attr: data and control
     * progress both FI_PROGRESS_AUTO: sockets, efa-direct). Then nobody needs to poll this
     * endpoint for a peer's sake; our own completions still have to be read.
     */
    public boolean providerProgresses() {
        return dataProgress == fabric_h.FI_PROGRESS_AUTO() && controlProgress == fabric_h.FI_PROGRESS_AUTO();
    }

    /**
     * Whether a thread blocked in fi_cq_sread sleeps. shm answers FI_WAIT_UNSPEC with a wait
     * object that loops on sched_yield until signalled, ignoring the timeout (libfabric
     * prov/shm/src/smr_fabric.c smr_wait_open, prov/util/src/util_wait.c util_wait_yield_run;
     * 1.17 and 2.x alike): an idle thread "sleeping" there uses a whole core. tcp, rxm and efa
     * wait on a file descriptor.
     */
    public boolean blockingReadSleeps() {
        return !provider.equals("shm");
    }

    public boolean isEfa() {
        return provider.equals("efa") || provider.startsWith("efa;");
    }

    public String mrModeString() {
        StringBuilder b = new StringBuilder();
        String[] names = {"", "", "LOCAL", "RAW", "VIRT_ADDR", "ALLOCATED", "PROV_KEY", "MMU_NOTIFY",
                "RMA_EVENT", "ENDPOINT", "HMEM"};
        for (int bit = 2; bit < names.length; bit++) {
            if ((mrMode & (1 << bit)) != 0) {
                b.append(b.isEmpty() ? "" : "|").append(names[bit]);
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    @Override
    public String toString() {
        return provider + " domain=" + domain + " api=" + Fi.versionString(apiVersion) + " mr_mode=" + mrModeString()
                + " tx_size=" + txSize + " rma_iov_limit=" + rmaIovLimit + " max_msg_size=" + maxMsgSize
                + " progress=" + progressString();
    }

    /** "data=auto control=auto" and the like, as fi_info -v says it. */
    public String progressString() {
        return "data=" + progressName(dataProgress) + " control=" + progressName(controlProgress);
    }

    private static String progressName(int progress) {
        return progress == fabric_h.FI_PROGRESS_AUTO() ? "auto"
                : progress == fabric_h.FI_PROGRESS_MANUAL() ? "manual" : "unspec";
    }
}
