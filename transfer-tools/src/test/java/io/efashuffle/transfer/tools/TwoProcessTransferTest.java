package io.efashuffle.transfer.tools;

import io.efashuffle.transfer.transport.ProgressMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * READ and WRITE between this JVM and a target JVM over real libfabric, every byte checked:
 * 1 byte to 64 MiB at unaligned offsets, 6000 small reads in flight from 3 threads in 12
 * batches, 2000 concurrent writes read back.
 */
class TwoProcessTransferTest {

    @ParameterizedTest(name = "provider {0}")
    @ValueSource(strings = {"tcp", "shm", "sockets"})
    void everyByteArrivesIntact(String provider) throws Exception {
        TransferValidator.Report report = ValidateCommand.validate(new FabricOptions(provider, null, ProgressMode.AUTO), 3);
        assertEquals(java.util.List.of(), report.mismatches(), "mismatched transfers on " + provider);
        assertTrue(report.transfers() > 10_000, "expected > 10000 transfers, ran " + report.transfers());
        assertTrue(report.bytes() > 1L << 30, "expected > 1 GiB moved, moved " + report.bytes());
    }

    /** The idle strategies other providers force (EFA has no CQ wait object: park) must also serve reads. */
    @ParameterizedTest(name = "tcp with progress {0}")
    @ValueSource(strings = {"PARK", "SPIN"})
    void everyIdleStrategyServesReads(ProgressMode mode) throws Exception {
        TransferValidator.Report report = ValidateCommand.validate(new FabricOptions("tcp", null, mode), 2);
        assertTrue(report.ok(), () -> "mismatches: " + report.mismatches());
    }
}
