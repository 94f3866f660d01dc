package org.wikiedits.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class ExpiredIteratorRenewalTest {

    /** A shard of three records (sequence numbers 5, 7, 9) read one... two at a time; iterators can be expired. */
    private static final class FakeKinesis implements KinesisClient {
        final List<GetShardIteratorRequest> iteratorRequests = new ArrayList<>();
        final Map<String, Integer> iterators = new HashMap<>(); // iterator -> index of the next record
        final Set<String> expired = new java.util.HashSet<>();
        final List<String> sequenceNumbers = List.of("5", "7", "9");

        @Override
        public GetShardIteratorResponse getShardIterator(GetShardIteratorRequest request) {
            iteratorRequests.add(request);
            int next = request.shardIteratorType() == ShardIteratorType.AFTER_SEQUENCE_NUMBER
                    ? sequenceNumbers.indexOf(request.startingSequenceNumber()) + 1 : 0;
            return GetShardIteratorResponse.builder().shardIterator(issue(next)).build();
        }

        @Override
        public GetRecordsResponse getRecords(GetRecordsRequest request) {
            if (expired.contains(request.shardIterator())) {
                throw ExpiredIteratorException.builder().message("Iterator expired").build();
            }
            int from = iterators.get(request.shardIterator());
            int to = Math.min(sequenceNumbers.size(), from + 2);
            List<Record> records = sequenceNumbers.subList(from, to).stream().map(sequence -> Record.builder()
                    .sequenceNumber(sequence).partitionKey("k").data(SdkBytes.fromUtf8String(sequence)).build()).toList();
            return GetRecordsResponse.builder().records(records).nextShardIterator(issue(to)).build();
        }

        private String issue(int next) {
            String iterator = "iterator-" + iterators.size();
            iterators.put(iterator, next);
            return iterator;
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anExpiredIteratorIsRenewedAfterTheLastRecordReadAndTheReadContinuesThere() {
        FakeKinesis fake = new FakeKinesis();
        KinesisClient kinesis = ExpiredIteratorRenewal.wrap(fake);
        String first = kinesis.getShardIterator(b -> b.streamName("s").shardId("shard-0").shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        GetRecordsResponse read = kinesis.getRecords(GetRecordsRequest.builder().shardIterator(first).build());
        assertThat(read.records()).extracting(Record::sequenceNumber).containsExactly("5", "7");

        fake.expired.add(read.nextShardIterator()); // held back longer than five minutes
        GetRecordsResponse again = kinesis.getRecords(GetRecordsRequest.builder().shardIterator(read.nextShardIterator()).build());

        assertThat(again.records()).extracting(Record::sequenceNumber).as("no gap, no repeat").containsExactly("9");
        GetShardIteratorRequest renewal = fake.iteratorRequests.get(1);
        assertThat(renewal.shardId()).isEqualTo("shard-0");
        assertThat(renewal.shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
        assertThat(renewal.startingSequenceNumber()).isEqualTo("7");
    }

    @Test
    void anExpiredIteratorBeforeAnyRecordIsRenewedWhereItFirstPointed() {
        FakeKinesis fake = new FakeKinesis();
        KinesisClient kinesis = ExpiredIteratorRenewal.wrap(fake);
        String first = kinesis.getShardIterator(b -> b.streamName("s").shardId("shard-0").shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        fake.expired.add(first);

        assertThat(kinesis.getRecords(GetRecordsRequest.builder().shardIterator(first).build()).records())
                .extracting(Record::sequenceNumber).containsExactly("5", "7");
        assertThat(fake.iteratorRequests.get(1).shardIteratorType()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
    }

    @Test
    void anIteratorItDidNotHandOutStaysTheCallersProblemAndOtherCallsGoStraightThrough() {
        FakeKinesis fake = new FakeKinesis();
        KinesisClient kinesis = ExpiredIteratorRenewal.wrap(fake);
        String foreign = fake.issue(0);
        fake.expired.add(foreign);

        assertThatThrownBy(() -> kinesis.getRecords(GetRecordsRequest.builder().shardIterator(foreign).build()))
                .isInstanceOf(ExpiredIteratorException.class);
        assertThat(kinesis.serviceName()).isEqualTo("kinesis");
    }
}
