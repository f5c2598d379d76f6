package io.efashuffle.transfer.transport;

import io.efashuffle.transfer.fabric.ProviderAttributes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The largest registration per provider, and what a refused EFA registration is told. */
class RegistrationLimitTest {
    private static final long GIB = 1L << 30;

    @Test
    void efaRegistersAtMostItsPageTableIn4KiBPagesAndOthersWhatIsSet() {
        assertEquals(88 * GIB, RegistrationLimit.of(RegistrationLimit.DEFAULT_BYTES, List.of(rail("efa"))));
        assertEquals(8 * GIB, RegistrationLimit.of(8 * GIB, List.of(rail("efa"))), "the setting can only lower it");
        assertEquals(Long.MAX_VALUE, RegistrationLimit.of(RegistrationLimit.DEFAULT_BYTES, List.of(rail("tcp;ofi_rxm"))));
        assertEquals(88 * GIB, RegistrationLimit.of(RegistrationLimit.DEFAULT_BYTES,
                List.of(rail("shm"), rail("efa"))), "the least of the rails");
    }

    @Test
    void aRefusalPastTheEfaPageTableSaysWhatToDo() {
        assertNull(RegistrationLimit.explainRefusal(List.of(rail("efa")), 80 * GIB, 8 * GIB), "within the budget");
        assertNull(RegistrationLimit.explainRefusal(List.of(rail("tcp;ofi_rxm")), 80 * GIB, 16 * GIB), "not EFA");
        String why = RegistrationLimit.explainRefusal(List.of(rail("efa")), 80 * GIB, 16 * GIB);
        assertTrue(why.contains("96 GiB") && why.contains("88 GiB") && why.contains("buffer.budget")
                && why.contains("huge pages"), why);
    }

    private static ProviderAttributes rail(String provider) {
        return new ProviderAttributes(provider, "fabric", "domain", 0, 0, 0, 0, 0, 0, 0, 1024, 1, -1, 8, 0);
    }
}
