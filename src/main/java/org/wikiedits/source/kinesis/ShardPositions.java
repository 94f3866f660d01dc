package org.wikiedits.source.kinesis;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.wikiedits.commit.CheckpointStore;

/**
 * Where the Camel-delivery consumer is in each shard of the stream. The lake's commit protocol is
 * reused as it is: every record admitted into the consumer's {@link org.wikiedits.commit.CommitTracker}
 * carries, as its "event id", the position of every shard at that record
 * ({@code shardId-000000000000:4959...;shardId-000000000001:4959...}). When the lake has committed up
 * to a record, the tracker saves that text in the consumer's {@link CheckpointStore}
 * ({@code <data>/state/kinesis-<stream>/checkpoint.json}, written atomically), so one file holds every
 * shard's last committed sequence number, and a restart continues each shard after it
 * ({@code AFTER_SEQUENCE_NUMBER}); shards with no saved position start at {@code TRIM_HORIZON}.
 */
public final class ShardPositions {

    private final CheckpointStore store;
    private final Map<String, String> live = new TreeMap<>();

    public ShardPositions(CheckpointStore store) {
        this.store = store;
    }

    /** Notes that {@code sequenceNumber} is the next record taken from {@code shardId}; returns the positions text to admit it with. */
    public synchronized String advance(String shardId, String sequenceNumber) {
        if (shardId == null || shardId.isEmpty() || sequenceNumber == null || sequenceNumber.isEmpty()) {
            throw new IllegalArgumentException("a Kinesis record without shard id or sequence number");
        }
        live.put(shardId, sequenceNumber);
        return format(live);
    }

    /** The sequence number of the last committed record of the shard, if any (read from the checkpoint). */
    public Optional<String> committed(String shardId) {
        return Optional.ofNullable(parse(store.lastEventId().orElse("")).get(shardId));
    }

    public static String format(Map<String, String> positions) {
        return new TreeMap<>(positions).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> positions = new TreeMap<>();
        if (text.isBlank()) {
            return positions;
        }
        for (String entry : text.split(";")) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("not a shard position: '" + entry + "' in '" + text + "'");
            }
            positions.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return Collections.unmodifiableMap(positions);
    }
}
