package io.efashuffle.transfer.engine;

import org.junit.jupiter.api.Test;

/** shm does not check keys, so the wrong-target case is an unmapped address (see FailurePathsTest). */
class ShmBadAddressTest {
    @Test
    void unmappedAddressEndsInAnErrorCompletion() throws Exception {
        FailurePathsTest.wrongKeyOrAddressEndsInAnErrorCompletion("shm");
    }
}
