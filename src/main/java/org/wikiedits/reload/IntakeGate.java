package org.wikiedits.reload;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Holds the pipeline's intake while a route file is swapped, so that the routes being replaced can
 * stop with nothing in flight and nothing queued.
 *
 * <p>Why: Camel stops a {@code seda:} consumer only once its queue is empty and has stayed empty for
 * a poll, which never happens while the source keeps feeding it; after the shutdown timeout it forces
 * the stop and interrupts the event being written. So the gate holds every exchange at the start of
 * an <em>intake</em> route (one whose consumer is not an in-process queue or the HTTP listener:
 * {@code sse:}, {@code aws2-kinesis:}, the timers that put flush ticks into queues) on the consumer's
 * own thread, before anything of the event is done; the rest of the pipeline drains; the routes are
 * swapped; the held exchanges go on. The HTTP routes (dashboard, /health, /metrics) keep answering.
 *
 * <p>It also counts the exchanges that have begun and not finished in every non-HTTP route, which is
 * how {@link #settled()} knows the pipeline is idle (Camel's inflight repository cannot tell held
 * exchanges from working ones).
 */
final class IntakeGate implements RoutePolicyFactory {

    /** Consumers that only pass on what an intake route gave them, or answer HTTP requests. */
    private static final List<String> INTERNAL = List.of("seda", "direct");
    private static final String HTTP = "platform-http";

    private final Object lock = new Object();
    private boolean closed;
    /** Routes about to be stopped: an exchange held at their start is dropped (the source replays it). */
    private final Set<Route> dropping = Collections.newSetFromMap(new IdentityHashMap<>());
    private int held;
    private final AtomicInteger working = new AtomicInteger();

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode node) {
        String scheme = scheme(node instanceof RouteDefinition route && route.getInput() != null
                ? route.getInput().getEndpointUri() : null);
        if (scheme.equals(HTTP)) {
            return null;
        }
        return new Policy();
    }

    static String scheme(String uri) {
        if (uri == null) {
            return "";
        }
        int colon = uri.indexOf(':');
        return (colon < 0 ? uri : uri.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /** From now on intake exchanges wait at their route's start. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /**
     * The exchanges held at the start of {@code routes} (and any that reach it until they stop) do not
     * go on: they end at once, without an error. For a source that is what its restart replays from the
     * checkpoint; for a timer, a tick.
     */
    void drop(Iterable<Route> routes) {
        synchronized (lock) {
            routes.forEach(dropping::add);
            lock.notifyAll();
        }
    }

    /** Lets the held exchanges go on. */
    void open() {
        synchronized (lock) {
            closed = false;
            dropping.clear();
            lock.notifyAll();
        }
    }

    /** Intake exchanges waiting at the gate. */
    int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** True when no exchange that got past the gate is still being routed. */
    boolean settled() {
        return working.get() == 0;
    }

    private void await(Route route, Exchange exchange) {
        synchronized (lock) {
            while (closed && !dropping.contains(route)) {
                held++;
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // the route's consumer is stopping (the sse consumer interrupts its thread)
                    Thread.currentThread().interrupt();
                    exchange.setRouteStop(true);
                    return;
                } finally {
                    held--;
                }
            }
            if (dropping.contains(route)) {
                exchange.setRouteStop(true);
            }
        }
    }

    /** Not a {@code RoutePolicySupport}: that one is a service, and a stopped one is skipped, which would lose a count. */
    private final class Policy implements RoutePolicy {

        /**
         * Decided from the route's endpoint once it exists: in the definition a route made from a template
         * may read "{{from}}" (the lake-sink template), which says nothing of the queue it will be.
         */
        private volatile Boolean intake;

        private boolean intake(Route route) {
            Boolean known = intake;
            if (known == null) {
                known = !INTERNAL.contains(scheme(route.getEndpoint().getEndpointUri()));
                intake = known;
            }
            return known;
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (intake(route)) {
                await(route, exchange);
            }
            working.incrementAndGet();
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            working.decrementAndGet();
        }

        @Override
        public void onInit(Route route) {
        }

        @Override
        public void onRemove(Route route) {
        }

        @Override
        public void onStart(Route route) {
        }

        @Override
        public void onStop(Route route) {
        }

        @Override
        public void onSuspend(Route route) {
        }

        @Override
        public void onResume(Route route) {
        }
    }
}
