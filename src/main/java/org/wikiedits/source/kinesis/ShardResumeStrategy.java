package org.wikiedits.source.kinesis;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.camel.component.aws2.kinesis.consumer.KinesisResumeAction;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.Resumable;
import org.apache.camel.resume.ResumeAction;
import org.apache.camel.resume.ResumeActionAware;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.resume.cache.ResumeCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the camel-aws2-kinesis consumer start each shard after its last committed record (the route's
 * {@code resumable} step names this bean). When the consumer first asks for a shard iterator it hands us
 * a {@link KinesisResumeAction}; for a shard with a saved position we set {@code AFTER_SEQUENCE_NUMBER}
 * and that sequence number, otherwise the endpoint's iterator type (TRIM_HORIZON) stays.
 *
 * <p>Positions are not updated through this strategy (the route's exchanges carry no offset): they are
 * saved by the lake's commit protocol, see {@link ShardPositions}. Camel 4.17's own
 * {@code ResumeActionAwareAdapter} would feed every cached shard to the action, and the action
 * overwrites the request's shard id with each, so this strategy keeps its own adapter. The consumer
 * asks for iterators of several shards in parallel; the action is therefore kept per thread.
 */
public final class ShardResumeStrategy implements ResumeStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ShardResumeStrategy.class);

    private final ShardPositions positions;
    private final Adapter adapter = new Adapter();
    private ResumeStrategyConfiguration configuration = new Configuration();

    public ShardResumeStrategy(ShardPositions positions) {
        this.positions = positions;
    }

    private final class Adapter implements ResumeActionAware {
        private final ThreadLocal<ResumeAction> action = new ThreadLocal<>();

        @Override
        public void setResumeAction(ResumeAction resumeAction) {
            action.set(resumeAction);
        }

        @Override
        public void resume() {
            ResumeAction current = action.get();
            action.remove();
            if (current instanceof KinesisResumeAction kinesis) {
                String shard = kinesis.getShardId();
                positions.committed(shard).ifPresentOrElse(sequenceNumber -> {
                    LOG.info("Kinesis stream {} shard {}: resuming after sequence number {}", kinesis.getStreamName(), shard,
                            sequenceNumber);
                    kinesis.evalEntry(shard, sequenceNumber);
                }, () -> LOG.info("Kinesis stream {} shard {}: no saved position, starting at the endpoint's iterator type",
                        kinesis.getStreamName(), shard));
            }
        }
    }

    /**
     * Camel 4.17 creates a generic adapter for every resumable route and insists that the strategy's
     * configuration has a cache for it; ours holds nothing, since the positions live in the checkpoint.
     */
    private static final class Configuration extends ResumeStrategyConfiguration {
        Configuration() {
            setResumeCache(new EmptyCache());
        }

        @Override
        public String resumeStrategyService() {
            return "wikiedits-shard-positions";
        }
    }

    private static final class EmptyCache implements ResumeCache<Object> {
        @Override
        public Object computeIfAbsent(Object key, Function<? super Object, ? super Object> mapping) {
            return null;
        }

        @Override
        public Object computeIfPresent(Object key, BiFunction<? super Object, ? super Object, ? super Object> remapping) {
            return null;
        }

        @Override
        public boolean contains(Object key, Object entry) {
            return false;
        }

        @Override
        public void add(Object key, Object offsetValue) {
            // positions are saved by the lake's commit protocol
        }

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public long capacity() {
            return 0;
        }

        @Override
        public <T> T get(Object key, Class<T> clazz) {
            return null;
        }

        @Override
        public Object get(Object key) {
            return null;
        }

        @Override
        public void forEach(BiFunction<? super Object, ? super Object, Boolean> action) {
            // nothing cached
        }
    }

    @Override
    public void setAdapter(ResumeAdapter ignored) {
        // Camel offers the generic cache-driven adapter here; see the class comment for why it is not used.
    }

    @Override
    public ResumeAdapter getAdapter() {
        return adapter;
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset) {
        // positions advance with the lake's commits, not per exchange
    }

    @Override
    public <T extends Resumable> void updateLastOffset(T offset, UpdateCallBack updateCallBack) {
        // as above
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset) {
        // as above
    }

    @Override
    public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset, UpdateCallBack updateCallBack) {
        // as above
    }

    @Override
    public void setResumeStrategyConfiguration(ResumeStrategyConfiguration resumeStrategyConfiguration) {
        if (resumeStrategyConfiguration != null && resumeStrategyConfiguration.getResumeCache() != null) {
            this.configuration = resumeStrategyConfiguration;
        }
    }

    @Override
    public ResumeStrategyConfiguration getResumeStrategyConfiguration() {
        return configuration;
    }

    @Override
    public void start() {
        // nothing to open: positions are read from the checkpoint file when a shard starts
    }

    @Override
    public void stop() {
        // nothing to close
    }
}
