package org.wikiedits.delivery;

import org.apache.camel.CamelContext;

/** Registers services with the Camel context, which starts and stops them with itself (in registration order). */
public final class CamelServices {

    private CamelServices() {
    }

    public static void register(CamelContext context, Object service) {
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }
}
