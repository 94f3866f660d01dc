package org.wikiedits.delivery;

import org.apache.camel.support.service.ServiceSupport;

/** Closes a client when Camel stops (AWS SDK, OpenSearch); registered before the sinks that use it, so it stops after them. */
public final class ClosingService extends ServiceSupport {

    private final AutoCloseable resource;

    public ClosingService(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
