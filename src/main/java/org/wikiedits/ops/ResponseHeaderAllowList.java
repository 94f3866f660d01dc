package org.wikiedits.ops;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The platform-http component's header filter (set once in application.properties, so every route has
 * it, one added later too). Inbound it is Camel's HTTP default: request headers and query parameters
 * become message headers, which is how the API beans read {@code limit}, {@code from} and {@code to}.
 * Outbound only the app's own response headers leave; without this, Camel copies every message header
 * onto the response, so {@code /health?Set-Cookie=...&Access-Control-Allow-Origin=...} answered with
 * both. Content-Type and Content-Length are written by the component itself, Content-Type from the
 * message, so a query parameter named Content-Type is not let in: it would become the type of an
 * answer whose route sets none.
 */
public final class ResponseHeaderAllowList extends HttpHeaderFilterStrategy {

    /** Lower case. What DashboardAssets and the routes set; a new response header must be added here. */
    static final Set<String> ALLOWED = Set.of("content-type", "cache-control", "x-content-type-options", "retry-after");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        if (headerName.equalsIgnoreCase(Exchange.CONTENT_TYPE) && exchange.getIn() instanceof HttpMessage http
                && !String.valueOf(headerValue).equals(http.getRequest().getHeader(Exchange.CONTENT_TYPE))) {
            return true; // not the request's own Content-Type header: a query parameter of that name
        }
        return super.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }
}
