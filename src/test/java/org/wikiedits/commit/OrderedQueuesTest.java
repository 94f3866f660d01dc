package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.TestCamel;

class OrderedQueuesTest {

    private static String sinkRoute(String parameters) {
        return """
                - route:
                    id: lake
                    from:
                      uri: seda:lake
                      parameters:
                        %s
                      steps:
                        - to:
                            uri: log:lake
                """.formatted(parameters);
    }

    private static DefaultCamelContext contextWith(String yaml) throws Exception {
        DefaultCamelContext context = TestCamel.newContext();
        context.addLifecycleStrategy(new OrderedQueues());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("lake.camel.yaml", yaml));
        return context;
    }

    @Test
    void aSinkQueueWithConcurrentConsumersInYamlFailsStartUpWithWhatToChange() throws Exception {
        try (DefaultCamelContext context = contextWith(sinkRoute("concurrentConsumers: 4"))) {
            assertThatThrownBy(context::start).hasStackTraceContaining(
                    "Route 'lake' reads seda:lake with concurrentConsumers=4: the sinks of the pipeline commit in event order")
                    .hasStackTraceContaining("remove concurrentConsumers from the route file");
        }
    }

    @Test
    void aSinkQueueWithOneConsumerStarts() throws Exception {
        try (DefaultCamelContext context = contextWith(sinkRoute("size: 10"))) {
            context.start();
            assertThat(context.getRouteController().getRouteStatus("lake").isStarted()).isTrue();
        }
    }
}
