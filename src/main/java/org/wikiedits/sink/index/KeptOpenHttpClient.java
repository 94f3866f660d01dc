package org.wikiedits.sink.index;

import java.util.concurrent.Future;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.function.Supplier;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.apache.hc.core5.util.TimeValue;

/**
 * The HTTP client under the REST client the {@code opensearch:} component is given, which every index
 * route shares. camel-opensearch's producer closes that REST client when its route stops
 * ({@code OpensearchProducer.doStop}, Camel 4.17), even one it did not make: after a route reload the new
 * route would send through a closed client ("Connection pool shut down"). So a close from there is
 * ignored, and {@link #closeForGood} closes the client when Camel stops.
 */
final class KeptOpenHttpClient extends CloseableHttpAsyncClient {

    private final CloseableHttpAsyncClient client;

    KeptOpenHttpClient(CloseableHttpAsyncClient client) {
        this.client = client;
    }

    void closeForGood() {
        client.close(CloseMode.GRACEFUL);
    }

    @Override
    public void close() {
        // a stopping route's producer: the client stays open for the other routes and the next version of this one
    }

    @Override
    public void close(CloseMode closeMode) {
        // as close()
    }

    @Override
    public void initiateShutdown() {
        // as close()
    }

    @Override
    public void start() {
        client.start();
    }

    @Override
    public IOReactorStatus getStatus() {
        return client.getStatus();
    }

    @Override
    public void awaitShutdown(TimeValue waitTime) throws InterruptedException {
        client.awaitShutdown(waitTime);
    }

    @Override
    protected <T> Future<T> doExecute(HttpHost target, AsyncRequestProducer requestProducer,
                                      AsyncResponseConsumer<T> responseConsumer,
                                      HandlerFactory<AsyncPushConsumer> pushHandlerFactory, HttpContext context,
                                      FutureCallback<T> callback) {
        return client.execute(target, requestProducer, responseConsumer, pushHandlerFactory, context, callback);
    }

    @Override
    public void register(String hostname, String uriPattern, Supplier<AsyncPushConsumer> supplier) {
        client.register(hostname, uriPattern, supplier);
    }
}
