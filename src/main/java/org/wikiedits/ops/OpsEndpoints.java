package org.wikiedits.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The {@code /health} and {@code /metrics} routes' bean: turns the monitor's answers into HTTP replies. */
public final class OpsEndpoints {

    private final PipelineMonitor monitor;

    public OpsEndpoints(PipelineMonitor monitor) {
        this.monitor = monitor;
    }

    /** The body becomes the {@link HealthReport}, which the route marshals to JSON (camel-jackson). */
    public void health(Exchange exchange) {
        CamelContext context = exchange.getContext();
        HealthReport report = context.isStarted() ? monitor.health() : PipelineMonitor.down("Camel is " + context.getStatus());
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, report.httpStatus());
        // any client may read /health: the reasons without URLs or paths (the log has them)
        message.setBody(new HealthReport(report.status(), PublicText.withoutLocations(report.reasons())));
    }

    public void metrics(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        message.setBody(monitor.scrape());
    }

    public void progress() {
        monitor.logProgress();
    }
}
