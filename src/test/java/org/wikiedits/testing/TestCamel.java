package org.wikiedits.testing;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CliConnector;
import org.apache.camel.spi.CliConnectorFactory;
import org.wikiedits.commit.LastEventIdSource;

/**
 * CamelContexts for tests. camel-cli-connector (on the test classpath through camel-jbang-core)
 * starts a background thread at context start that registers dev consoles while the context
 * iterates them: about one start in 50 then fails with a ConcurrentModificationException in
 * DefaultDevConsoleRegistry.doStart (Camel 4.17.0). Tests do not need the connector, so it is off here.
 */
public final class TestCamel {

    private TestCamel() {
    }

    /** A CLI connector factory that never connects, to bind into Camel Main's registry in tests. */
    public static CliConnectorFactory disabledCliConnector() {
        return new DisabledCliConnector();
    }

    /** A new, unstarted context without the CLI connector. */
    public static DefaultCamelContext newContext() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, new DisabledCliConnector());
        return context;
    }

    /**
     * A started context with one route, id {@code source}: {@code from(uri)} to {@code sink}.
     *
     * @param checkpoint bound as the bean {@code checkpoint} (for {@code lastEventIdSource=#checkpoint}) unless null
     * @throws Exception what the start threw; the context is closed then
     */
    public static CamelContext startRoute(String uri, LastEventIdSource checkpoint, Processor sink) throws Exception {
        CamelContext context = newContext();
        try {
            if (checkpoint != null) {
                context.getRegistry().bind("checkpoint", LastEventIdSource.class, checkpoint);
            }
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("source").process(sink);
                }
            });
            context.start();
            return context;
        } catch (Exception failure) {
            context.close(); // a start that fails leaves nothing running
            throw failure;
        }
    }

    private static final class DisabledCliConnector implements CliConnectorFactory {
        @Override
        public void setEnabled(boolean enabled) {
            // stays disabled
        }

        @Override
        public boolean isEnabled() {
            return false;
        }

        @Override
        public void setRuntime(String runtime) {
        }

        @Override
        public String getRuntime() {
            return null;
        }

        @Override
        public void setRuntimeVersion(String runtimeVersion) {
        }

        @Override
        public String getRuntimeVersion() {
            return null;
        }

        @Override
        public void setRuntimeStartClass(String runtimeStartClass) {
        }

        @Override
        public String getRuntimeStartClass() {
            return null;
        }

        @Override
        public CliConnector createConnector() {
            throw new UnsupportedOperationException("the CLI connector is disabled in tests");
        }
    }
}
