package org.wikiedits.reload;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.BeanScope;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.apache.camel.spi.BeanProcessorFactory;
import org.apache.camel.spi.IdAware;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Bean steps that leave the beans the CamelContext itself runs as services (the lake and index sinks,
 * the batchers and deliveries of the aws routes) running when their route stops.
 *
 * <p>Why: Camel's {@code bean:} step stops a singleton bean that is a {@link Service} together with its
 * route. At the end of the app that is harmless (the context stops those beans right after), but a
 * reloaded route would close the index writer that the route's next version, and the other routes,
 * go on using: every later event became a dead letter ("the index writer is closed"). With this, the
 * context alone starts and stops those beans, once, when it starts and stops.
 */
final class SharedBeanSteps implements BeanProcessorFactory {

    private final BeanProcessorFactory camel;

    SharedBeanSteps(BeanProcessorFactory camel) {
        this.camel = camel;
    }

    @Override
    public Processor createBeanProcessor(CamelContext context, Object bean, Method method) throws Exception {
        return shared(context, bean, camel.createBeanProcessor(context, bean, method));
    }

    @Override
    public Processor createBeanProcessor(CamelContext context, Object bean, String beanType, Class<?> beanClass, String ref,
            String method, BeanScope scope) throws Exception {
        Processor step = camel.createBeanProcessor(context, bean, beanType, beanClass, ref, method, scope);
        if (scope != null && scope != BeanScope.Singleton) {
            return step; // a new bean per call or exchange belongs to the step
        }
        Object target = bean != null ? bean : ref != null ? context.getRegistry().lookupByName(ref) : null;
        return shared(context, target, step);
    }

    private static Processor shared(CamelContext context, Object bean, Processor step) {
        if (bean instanceof Service service && context.hasService(service)) {
            return new LeavesBeanRunning(step);
        }
        return step;
    }

    /**
     * Starts the bean step with its route, but does not stop it (and so its bean) with the route. Not a
     * {@code DelegateAsyncProcessor}: Camel walks a route's processors through {@code Navigate} and would
     * stop the step itself.
     */
    static final class LeavesBeanRunning extends ServiceSupport implements AsyncProcessor, IdAware {

        private final AsyncProcessor step;

        LeavesBeanRunning(Processor step) {
            this.step = AsyncProcessorConverterHelper.convert(step);
        }

        @Override
        protected void doInit() {
            ServiceHelper.initService(step);
        }

        @Override
        protected void doStart() {
            ServiceHelper.startService(step);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            return step.process(exchange, callback);
        }

        @Override
        public CompletableFuture<Exchange> processAsync(Exchange exchange) {
            return step.processAsync(exchange);
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            step.process(exchange);
        }

        @Override
        public String getId() {
            return step instanceof IdAware aware ? aware.getId() : null;
        }

        @Override
        public void setId(String id) {
            if (step instanceof IdAware aware) {
                aware.setId(id);
            }
        }

        @Override
        public String toString() {
            return String.valueOf(step);
        }
    }
}
