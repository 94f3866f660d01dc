package org.wikiedits.testing;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CliConnector;
import org.apache.camel.spi.CliConnectorFactory;

/**
 * CamelContexts for tests. camel-cli-connector (on the test classpath through camel-jbang-core)
 * starts a background thread at context start that registers dev consoles while the context
 * iterates them: about one start in 50 then fails with a ConcurrentModificationException in
 * DefaultDevConsoleRegistry.doStart (Camel 4.17.0). Tests do not need the connector, so it is off here.
 */
public final class TestCamel {

    private TestCamel() {
    }

    /** A new, unstarted context without the CLI connector. */
    public static DefaultCamelContext newContext() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().addContextPlugin(CliConnectorFactory.class, new DisabledCliConnector());
        return context;
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
