package org.wikiedits.ops;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of the platform-http router (see {@link GuardedHttpEngine}): a request whose path or
 * query string has a {@code %} not followed by two hex digits is answered 400 here, with one log line. Left
 * alone, Vert.x fails while decoding it (matching a route, or in the Camel consumer) and logs the stack
 * trace at ERROR.
 */
public final class MalformedUriGuard implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedUriGuard.class);
    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        String query = request.query();
        String malformed = path != null && !wellEscaped(path) ? "path"
                : query != null && !wellEscaped(query) ? "query string" : null;
        if (malformed == null) {
            ctx.next();
            return;
        }
        LOG.warn("Refused {} {}: malformed {}", request.method(), shown(path), malformed);
        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Bad request: malformed " + malformed + " (a % must be followed by two hex digits)\n");
    }

    /** Every {@code %} starts an escape of two hex digits. */
    static boolean wellEscaped(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || !hex(text.charAt(i + 1)) || !hex(text.charAt(i + 2))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** The path as logged: at most 100 characters, nothing but printable ASCII. */
    private static String shown(String path) {
        String printable = path == null ? "" : path.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
