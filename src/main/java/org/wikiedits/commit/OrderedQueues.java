package org.wikiedits.commit;

import java.util.Collection;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Refuses to start a route that drains an in-process queue with more than one consumer. Every queue
 * of the pipeline feeds a sink built for one consumer thread (its pending files or batch, cut in
 * order). The checkpoint does not depend on it: sinks report exactly the events they made durable, so
 * an event overtaken by another is never passed (see {@link org.wikiedits.commit.CommitTracker}).
 * A {@code concurrentConsumers} added in YAML fails start-up.
 */
public final class OrderedQueues extends LifecycleStrategySupport {

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (route.getEndpoint() instanceof SedaEndpoint seda && seda.getConcurrentConsumers() > 1) {
                throw new IllegalStateException("Route '" + route.getRouteId() + "' reads seda:" + seda.getName()
                        + " with concurrentConsumers=" + seda.getConcurrentConsumers()
                        + ": the sinks of the pipeline commit in event order and need exactly one consumer per queue;"
                        + " remove concurrentConsumers from the route file");
            }
        }
    }
}
