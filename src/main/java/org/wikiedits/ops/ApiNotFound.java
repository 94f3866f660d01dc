package org.wikiedits.ops;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The last handler of the platform-http router for {@code GET /api/*} (see {@link GuardedHttpEngine}): a
 * path under {@code /api/} that no route serves is a 404 in JSON, like the API's other errors, not Vert.x's
 * HTML page. The path is not echoed.
 */
public final class ApiNotFound implements Handler<RoutingContext> {

    static final String ANSWER = "{\"error\":\"no API endpoint at this path; the endpoints are /api/live/{panel},"
            + " /api/history/{panel} and /api/pipeline (see docs/dashboard.md)\"}";

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end(ANSWER);
    }
}
