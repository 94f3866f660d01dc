package org.wikiedits.source.kinesis;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A Kinesis client that renews a shard iterator which has expired. Kinesis iterators live five
 * minutes; camel-aws2-kinesis (4.17) keeps each shard's iterator between polls and, when GetRecords
 * fails, keeps the same one, so a consumer held back longer than that (the lake waiting for S3) would
 * fail every poll with ExpiredIteratorException for ever. This client remembers where each iterator it
 * handed out points (the request that made it, moved after the last record read), and when one has
 * expired it asks for a new iterator at that same position and reads again: the consumer continues
 * after the last record it received, with no gap and no repeat. Every other call goes straight through.
 */
public final class ExpiredIteratorRenewal implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredIteratorRenewal.class);

    private final KinesisClient kinesis;
    /** Iterator -> a request for a new iterator at the same position; one live entry per shard. */
    private final Map<String, GetShardIteratorRequest> positions = new ConcurrentHashMap<>();

    private ExpiredIteratorRenewal(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** {@code kinesis}, renewing expired shard iterators. */
    public static KinesisClient wrap(KinesisClient kinesis) {
        return (KinesisClient) Proxy.newProxyInstance(KinesisClient.class.getClassLoader(), new Class<?>[] {KinesisClient.class},
                new ExpiredIteratorRenewal(kinesis));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (args != null && args.length == 1 && args[0] instanceof GetShardIteratorRequest request) {
            return shardIterator(request);
        }
        if (args != null && args.length == 1 && args[0] instanceof GetRecordsRequest request) {
            return records(request, true);
        }
        if (method.isDefault() && args != null && args.length == 1 && args[0] instanceof Consumer<?>) {
            // getRecords(b -> ...) and the like build the request and call the method above, through this proxy
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        try {
            return method.invoke(kinesis, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private GetShardIteratorResponse shardIterator(GetShardIteratorRequest request) {
        GetShardIteratorResponse response = kinesis.getShardIterator(request);
        positions.put(response.shardIterator(), request);
        return response;
    }

    private GetRecordsResponse records(GetRecordsRequest request, boolean renewIfExpired) {
        GetShardIteratorRequest position = positions.get(request.shardIterator());
        GetRecordsResponse response;
        try {
            response = kinesis.getRecords(request);
        } catch (ExpiredIteratorException e) {
            if (position == null || !renewIfExpired) {
                throw e;
            }
            positions.remove(request.shardIterator());
            LOG.warn("Kinesis shard {}: its iterator has expired (the consumer was held back longer than Kinesis keeps one, "
                    + "five minutes); continuing with a new iterator at the same position", position.shardId());
            String renewed = shardIterator(position).shardIterator();
            return records(request.toBuilder().shardIterator(renewed).build(), false);
        }
        if (position != null) {
            positions.remove(request.shardIterator());
            if (response.nextShardIterator() != null) {
                positions.put(response.nextShardIterator(), after(position, response.records()));
            }
        }
        return response;
    }

    /** Where the next iterator points: after the last record read, or where {@code position} did when none was. */
    private static GetShardIteratorRequest after(GetShardIteratorRequest position, List<Record> records) {
        if (records.isEmpty()) {
            return position;
        }
        return position.toBuilder().shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .startingSequenceNumber(records.get(records.size() - 1).sequenceNumber()).timestamp(null).build();
    }
}
