package org.wikiedits.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine (Vert.x), with {@link MalformedUriGuard} as the first handler of the router
 * every platform-http route is served from. Set once for the component
 * ({@code camel.component.platform-http.engine} in application.properties), so a route added later is
 * guarded too. First, not per route: Vert.x decodes the query while it matches a route with a path
 * parameter ({@code /api/live/{panel}}), before any handler of that route runs; a route without a path
 * is matched without decoding anything. Installed with the first consumer, when the server's router exists,
 * with {@link ApiNotFound} as the last handler of {@code GET /api/*}.
 */
public final class GuardedHttpEngine extends VertxPlatformHttpEngine {

    private VertxPlatformHttpRouter guarded;
    private Route guard;
    private Route apiNotFound;

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        guardRouter();
        return super.createConsumer(endpoint, processor);
    }

    private synchronized void guardRouter() {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(getCamelContext());
        }
        if (router == null || router == guarded) {
            return; // no server: the consumer's own start says so
        }
        guard = router.route().order(Integer.MIN_VALUE).handler(new MalformedUriGuard());
        // GET only: a path served for GET alone still answers another method 405
        apiNotFound = router.route(HttpMethod.GET, "/api/*").order(Integer.MAX_VALUE).handler(new ApiNotFound());
        guarded = router;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (guard != null) {
            guard.remove();
            apiNotFound.remove();
            guard = null;
            apiNotFound = null;
            guarded = null;
        }
        super.doStop();
    }
}
