package io.efashuffle.transfer.fabric;

/** A libfabric call or completion failed; carries libfabric's errno and the provider's text. */
public class FabricException extends RuntimeException {
    private final int errno;
    private final int providerErrno;

    public FabricException(String message, int errno, int providerErrno) {
        super(message);
        this.errno = errno;
        this.providerErrno = providerErrno;
    }

    public FabricException(String message, int errno) {
        this(message, errno, 0);
    }

    /** libfabric's positive error number (FI_E*), 0 when not from libfabric. */
    public int errno() {
        return errno;
    }

    /** The provider-specific error number of an error completion, 0 when none. */
    public int providerErrno() {
        return providerErrno;
    }
}
