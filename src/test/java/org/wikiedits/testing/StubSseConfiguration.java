package org.wikiedits.testing;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Binds {@link StubSseComponent} as {@code sse} unless the real component is on the classpath. */
public final class StubSseConfiguration implements CamelConfiguration {

    /** For {@code camel.main.configuration-classes}, after the app's own class. */
    public static final String CONFIGURATION_CLASSES = "org.wikiedits.WikieditsBeans," + StubSseConfiguration.class.getName();

    public static boolean realSseComponentPresent() {
        return StubSseConfiguration.class.getClassLoader().getResource("META-INF/services/org/apache/camel/component/sse") != null;
    }

    @Override
    public void configure(CamelContext context) {
        if (!realSseComponentPresent()) {
            context.addComponent("sse", new StubSseComponent());
        }
    }
}
