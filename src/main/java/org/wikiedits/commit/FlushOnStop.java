package org.wikiedits.commit;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flush ticks of the batching routes (Kinesis, Firehose, index), and the last one: when Camel begins
 * to stop, puts a flush tick {@link Headers#FLUSH_ALL} into each queue. Camel's graceful shutdown lets a queue's
 * consumer drain it before the route stops, so what is still pending in the batcher goes out through
 * the route's own send steps while the endpoints still work; events queued after the tick go out at
 * once (the batchers hand out what is pending while Camel stops). A full queue drops the tick: the
 * events in it flush the batcher anyway.
 */
public final class FlushOnStop extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(FlushOnStop.class);

    private final List<String> queues;

    /** @param queues the {@code seda:} queues the streams' routes read */
    public FlushOnStop(List<String> queues) {
        this.queues = List.copyOf(queues);
    }

    @Override
    public void onContextStopping(CamelContext context) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            for (String queue : queues) {
                template.sendBodyAndHeader(queue + "?blockWhenFull=false&discardWhenFull=true", null,
                        Headers.FLUSH, Headers.FLUSH_ALL);
            }
        } catch (Exception e) {
            LOG.warn("Could not ask {} to send their pending records before the stop ({}); they are replayed on the next start",
                    queues, e.getMessage());
        }
    }
}
