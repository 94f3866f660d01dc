package org.wikiedits.query.athena;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Binds what {@code routes/athena/*.camel.yaml} refers to: {@code athenaQuery}
 * ({@link AthenaQuerySteps}). The configuration class of the query context
 * ({@link AthenaQueryRunner}); Camel JBang can use it too
 * ({@code camel.main.configuration-classes=org.wikiedits.query.athena.AthenaQueryBeans}).
 * The pipeline never loads it.
 */
public class AthenaQueryBeans implements CamelConfiguration {

    /** The bean name the routes call. */
    public static final String STEPS = "athenaQuery";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        AthenaSettings settings = AthenaSettings.from(key -> properties.resolveProperty(key).orElse(""));
        AthenaQuerySteps steps = new AthenaQuerySteps(context, settings.timeout(), System::nanoTime);
        context.addService(steps, true, true);
        context.getRegistry().bind(STEPS, steps);
    }
}
