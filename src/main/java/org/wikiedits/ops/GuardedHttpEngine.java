package org.wikiedits.ops;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import java.util.Optional;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform-http engine (Vert.x), with {@link MalformedUriGuard} as the first handler of the server's
 * main router. Set once for the component ({@code camel.component.platform-http.engine} in
 * application.properties), so a route added later is guarded too. First, not per route: Vert.x decodes
 * the path while the main router matches the mount of the routes' router ({@code /*}), and the query while
 * it matches a route with a path parameter ({@code /api/live/{panel}}), before any handler of that route
 * runs; a route without a path is matched without decoding anything. Camel 4.17 keeps the main router
 * private to its {@link VertxPlatformHttpServer}: it is read reflectively, and where that fails the guard
 * goes first on the routes' router, which still covers queries. Installed with the first consumer, when
 * the routers exist, with {@link ApiNotFound} as the last handler of {@code GET /api/*}.
 */
public final class GuardedHttpEngine extends VertxPlatformHttpEngine {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpEngine.class);

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
        guard = mainRouter().orElse(router).route().order(Integer.MIN_VALUE).handler(new MalformedUriGuard());
        // GET only: a path served for GET alone still answers another method 405
        apiNotFound = router.route(HttpMethod.GET, "/api/*").order(Integer.MAX_VALUE).handler(new ApiNotFound());
        guarded = router;
    }

    /** The server's router, in front of the routes' router; empty when this Camel version keeps it elsewhere. */
    private Optional<Router> mainRouter() {
        VertxPlatformHttpServer server = getCamelContext().hasService(VertxPlatformHttpServer.class);
        if (server == null) {
            return Optional.empty();
        }
        try {
            Field router = VertxPlatformHttpServer.class.getDeclaredField("router");
            router.setAccessible(true);
            return Optional.ofNullable((Router) router.get(server));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("No access to the HTTP server's main router ({}): malformed paths are refused by Vert.x itself", e.toString());
            return Optional.empty();
        }
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
