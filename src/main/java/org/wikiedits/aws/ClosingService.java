package org.wikiedits.aws;

import org.apache.camel.support.service.ServiceSupport;

/** Closes an SDK client when Camel stops; registered before the sinks that use it, so it stops after them. */
final class ClosingService extends ServiceSupport {

    private final AutoCloseable resource;

    ClosingService(AutoCloseable resource) {
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
