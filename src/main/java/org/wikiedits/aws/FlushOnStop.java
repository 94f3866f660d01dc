package org.wikiedits.aws;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Camel begins to stop, puts a final flush tick ({@link EventBatches#ALL}) into each stream's
 * queue. Camel's graceful shutdown lets a queue's consumer drain it before the route stops, so the
 * records still pending in the batcher go out through the route's own send steps while the endpoints
 * still work; events queued after the tick go out at once ({@link EventBatches} hands out what is
 * pending while Camel stops). A full queue drops the tick: the events in it flush the batcher anyway.
 * The camel delivery's lake queue gets the same tick: its route hands it to {@code s3-lake-roll}, which
 * completes every lake buffer and puts it into S3 (a dropped tick leaves them to be replayed). The
 * context may still report Started here, so the tick, not the context's state, says "everything".
 */
final class FlushOnStop extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(FlushOnStop.class);

    private final List<String> queues;

    /** @param queues the {@code seda:} queues the streams' routes read */
    FlushOnStop(List<String> queues) {
        this.queues = List.copyOf(queues);
    }

    @Override
    public void onContextStopping(CamelContext context) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (String queue : queues) {
                template.sendBodyAndHeader(queue + "?blockWhenFull=false&discardWhenFull=true", null,
                        EventBatches.FLUSH_HEADER, EventBatches.ALL);
            }
        } catch (Exception e) {
            LOG.warn("Could not ask {} to send their pending records before the stop ({}); they are replayed on the next start",
                    queues, e.getMessage());
        }
    }
}
