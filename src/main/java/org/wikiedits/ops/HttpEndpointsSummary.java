package org.wikiedits.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints at start-up, at the address the server is bound to ({@code http://127.0.0.1:8080/health}).
 * It stands in for Camel's own summary (camel-platform-http-main 4.17's {@code MainHttpServerUtil}), which
 * prints {@code http://0.0.0.0:PORT} whatever {@code camel.server.host} is: {@link #replaceCamelsSummary}
 * sets that logger to WARN in code, so that it holds under any logging configuration (the jar's
 * log4j2.xml, Camel JBang's own).
 */
public final class HttpEndpointsSummary implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpointsSummary.class);
    private static final String CAMELS_SUMMARY = "org.apache.camel.component.platform.http.main.MainHttpServerUtil";

    /** Quiets Camel's summary before the server starts; a start-up listener of {@code context} logs this one. */
    public static void replaceCamelsSummary(CamelContext context) throws Exception {
        try {
            Configurator.setLevel(CAMELS_SUMMARY, Level.WARN);
        } catch (LinkageError e) {
            LOG.debug("No log4j-core to quiet {} ({}): its summary may show 0.0.0.0", CAMELS_SUMMARY, e.toString());
        }
        context.addStartupListener(new HttpEndpointsSummary());
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the endpoints are known once the routes run: see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        lines(context).forEach(LOG::info);
    }

    /** The summary's lines; none when Camel runs no HTTP server (camel.server.enabled=false) or it serves nothing. */
    static List<String> lines(CamelContext context) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null || !(context.hasComponent("platform-http") instanceof PlatformHttpComponent http)
                || http.getHttpEndpoints().isEmpty()) {
            return List.of();
        }
        String host = server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
        String base = "http://" + host + ":" + server.getPort();
        TreeSet<HttpEndpointModel> endpoints = new TreeSet<>(http.getHttpEndpoints());
        int width = endpoints.stream().mapToInt(endpoint -> endpoint.getUri().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("HTTP endpoints on " + base);
        for (HttpEndpointModel endpoint : endpoints) {
            String verbs = endpoint.getVerbs() == null || endpoint.getVerbs().isEmpty() ? "" : "  (" + endpoint.getVerbs() + ")";
            lines.add(("    " + base + String.format("%-" + width + "s", endpoint.getUri()) + verbs).stripTrailing());
        }
        return lines;
    }
}
