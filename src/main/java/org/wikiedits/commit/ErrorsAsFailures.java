package org.wikiedits.commit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Makes an {@link Error} thrown by a route step (an {@code AssertionError}, a {@code StackOverflowError})
 * a failure of its exchange that the routes' error handling sees, as a {@link RouteError}. Without it
 * Camel lets the Error escape: it bypasses {@code onException}, kills the seda consumer thread of the
 * queue (whose route still says Started), and the event is neither written nor reported, so the
 * checkpoint stalls with nothing in {@code /health} saying why. {@link FailedEvent} halts the commit
 * tracker for a RouteError instead of dead-lettering the event: the fault is the app's, not the event's.
 */
public final class ErrorsAsFailures implements InterceptStrategy {

    /** An {@link Error} thrown by a route step, carried as the exchange's exception. */
    public static final class RouteError extends Exception {
        RouteError(Error error) {
            super(error.getClass().getName() + ": " + error.getMessage(), error);
        }
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new CatchingErrors(target);
    }

    private static final class CatchingErrors extends DelegateAsyncProcessor {
        CatchingErrors(Processor target) {
            super(target);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            try {
                return super.process(exchange, callback);
            } catch (Error error) {
                exchange.setException(new RouteError(error));
                callback.done(true);
                return true;
            }
        }
    }
}
