package org.apache.spark.shuffle.efa.registry;

import io.efashuffle.transfer.engine.MalformedFrameException;
import io.efashuffle.transfer.engine.MetadataRegistry;
import io.efashuffle.transfer.engine.SegmentDescriptor;
import io.efashuffle.transfer.engine.SegmentDescriptorCodec;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;
import java.util.Optional;

/**
 * An executor's view of the driver registry through Spark RPC. It is also transfer-core's
 * {@link MetadataRegistry}, so the engine publishes and opens segments through the driver.
 */
public final class DriverRegistryClient implements MetadataRegistry {
    static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);

    private final RpcEndpointRef driver;
    private final String executorId;

    public DriverRegistryClient(RpcEndpointRef driver, String executorId) {
        this.driver = driver;
        this.executorId = executorId;
    }

    /** Looks the registry up on the driver; fails when the driver runs without EfaShuffleDataIO. */
    public static DriverRegistryClient connect(SparkConf conf, RpcEnv rpcEnv, String executorId) {
        return new DriverRegistryClient(
                SparkInternalApi.driverEndpoint(ShuffleSegmentRegistry.ENDPOINT_NAME, conf, rpcEnv), executorId);
    }

    /**
     * Messages travel as plain byte arrays: the RpcEnv deserializes replies with the class loader
     * it was created with, which on an executor does not see a plugin given with --jars.
     */
    private <R extends RegistryMessage> R ask(RegistryMessage m, Class<R> reply) {
        return RegistryCodec.decodeReply(driver.askSync(RegistryCodec.encode(m), BYTES), reply);
    }

    @Override
    public void publish(SegmentDescriptor descriptor) {
        ask(new RegistryMessage.PublishSegment(executorId, SegmentDescriptorCodec.encode(descriptor)), RegistryMessage.Ack.class);
    }

    @Override
    public Optional<SegmentDescriptor> lookup(String segmentName) {
        byte[] d = ask(new RegistryMessage.LookupSegment(segmentName), RegistryMessage.SegmentReply.class).descriptor();
        return d.length == 0 ? Optional.empty() : Optional.of(SegmentDescriptorCodec.decode(d));
    }

    @Override
    public void remove(String segmentName) {
        ask(new RegistryMessage.RemoveSegment(segmentName), RegistryMessage.Ack.class);
    }

    /** One-way, like Spark's own MapStatus, which travels with the task's status update. */
    public void publishMapOutput(MapOutputLocation location) {
        driver.send(RegistryCodec.encode(new RegistryMessage.PublishMapOutput(location)));
    }

    /** The registry's entries for these map indexes, and those staged but not yet servable to this executor. */
    public RegistryMessage.ShuffleLocations lookupMapOutputs(int shuffleId, List<Integer> mapIndexes) {
        RegistryMessage reply = RegistryCodec.decodeReply(
                driver.askSync(RegistryCodec.encode(new RegistryMessage.LookupMapOutputs(shuffleId, mapIndexes)), BYTES),
                RegistryMessage.class);
        return switch (reply) {
            case RegistryMessage.ShuffleLocations s -> s;
            case RegistryMessage.ShuffleLocationTable t -> t.select(mapIndexes);
            default -> throw new MalformedFrameException("registry reply " + reply.getClass().getSimpleName()
                    + " to a look-up of map outputs");
        };
    }

    /**
     * One-way: the caller does not wait. Sent before Spark's own status update of the same task,
     * over the same connection to the driver, so the registry receives it before the task counts
     * as finished (see {@link ShuffleSegmentRegistry#stats()}).
     */
    public void reportStats(ShuffleCounts counts) {
        driver.send(RegistryCodec.encode(new RegistryMessage.ReportStats(counts)));
    }

    /** This executor has inserted its peers up to {@code mark}; what changed since ({@link PeerLog}). */
    public RegistryMessage.PeerChanges syncPeers(String segmentName, long mark) {
        return ask(new RegistryMessage.SyncPeers(segmentName, mark), RegistryMessage.PeerChanges.class);
    }

    public ShuffleCounts stats() {
        return ask(new RegistryMessage.GetStats(), RegistryMessage.Stats.class).counts();
    }
}
