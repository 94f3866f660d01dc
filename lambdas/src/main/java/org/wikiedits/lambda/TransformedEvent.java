package org.wikiedits.lambda;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one event becomes in a Firehose record.
 *
 * @param payload       the text Firehose delivers (UTF-8 once encoded)
 * @param partitionKeys S3 dynamic-partitioning keys; empty when the destination does not partition
 */
public record TransformedEvent(String payload, Map<String, String> partitionKeys) {

    public TransformedEvent {
        // sorted, so the response JSON is the same from run to run
        partitionKeys = Collections.unmodifiableMap(new TreeMap<>(partitionKeys));
    }
}
