package org.apache.spark.shuffle.efa.registry;

/**
 * The wire tag and direction of each {@link RegistryMessage} kind, the one place both are written down:
 * {@link RegistryCodec} writes and reads tags only through this enum. Never renumber a kind;
 * add new ones with new tags (or bump {@link RegistryCodec}'s version). Retired tags, never reused:
 * 6 (LookupShuffle, the whole shuffle's locations; replaced by LOOKUP_MAP_OUTPUTS in version 4).
 */
enum RegistryMessageType {
    PUBLISH_SEGMENT(1, RegistryMessage.PublishSegment.class, Direction.REQUEST),
    REMOVE_SEGMENT(2, RegistryMessage.RemoveSegment.class, Direction.REQUEST),
    LOOKUP_SEGMENT(3, RegistryMessage.LookupSegment.class, Direction.REQUEST),
    SEGMENT_REPLY(4, RegistryMessage.SegmentReply.class, Direction.REPLY),
    PUBLISH_MAP_OUTPUT(5, RegistryMessage.PublishMapOutput.class, Direction.ONE_WAY),
    SHUFFLE_LOCATIONS(7, RegistryMessage.ShuffleLocations.class, Direction.REPLY),
    REPORT_STATS(8, RegistryMessage.ReportStats.class, Direction.ONE_WAY),
    GET_STATS(9, RegistryMessage.GetStats.class, Direction.REQUEST),
    STATS(10, RegistryMessage.Stats.class, Direction.REPLY),
    ACK(11, RegistryMessage.Ack.class, Direction.REPLY),
    LOOKUP_MAP_OUTPUTS(12, RegistryMessage.LookupMapOutputs.class, Direction.REQUEST),
    SYNC_PEERS(13, RegistryMessage.SyncPeers.class, Direction.REQUEST),
    PEER_CHANGES(14, RegistryMessage.PeerChanges.class, Direction.REPLY),
    SHUFFLE_LOCATION_TABLE(15, RegistryMessage.ShuffleLocationTable.class, Direction.REPLY);

    /** How a kind travels: asked (and answered by a REPLY), answered, or sent without an answer. */
    enum Direction { REQUEST, REPLY, ONE_WAY }

    private static final RegistryMessageType[] BY_TAG = new RegistryMessageType[256];

    static {
        for (RegistryMessageType t : values()) {
            if (BY_TAG[t.tag] != null) {
                throw new ExceptionInInitializerError("registry tag " + t.tag + " used twice");
            }
            BY_TAG[t.tag] = t;
        }
    }

    final int tag;
    final Class<? extends RegistryMessage> kind;
    final Direction direction;

    RegistryMessageType(int tag, Class<? extends RegistryMessage> kind, Direction direction) {
        this.tag = tag;
        this.kind = kind;
        this.direction = direction;
    }

    static RegistryMessageType of(RegistryMessage m) {
        for (RegistryMessageType t : values()) {
            if (t.kind == m.getClass()) {
                return t;
            }
        }
        throw new IllegalStateException("no wire tag for " + m.getClass().getName());
    }

    /** The type with {@code tag}, or null. */
    static RegistryMessageType ofTag(int tag) {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }
}
