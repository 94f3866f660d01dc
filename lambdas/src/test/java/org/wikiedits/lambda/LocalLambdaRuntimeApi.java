package org.wikiedits.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on a
 * free loopback port, enough for the AWS runtime interface client: it hands out queued invocations on
 * {@code GET /2018-06-01/runtime/invocation/next} (blocking while there is none, as Lambda does) and
 * captures what the runtime posts to {@code /invocation/{id}/response}, {@code /invocation/{id}/error}
 * and {@code /init/error}.
 */
final class LocalLambdaRuntimeApi implements AutoCloseable {

    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:wikiedits-test";

    private static final String PREFIX = "/2018-06-01/runtime";
    private static final Pattern INVOCATION_POST = Pattern.compile(PREFIX + "/invocation/([^/]+)/(response|error)");

    /** What the runtime posted for one invocation. */
    record Answer(boolean error, String body, Map<String, List<String>> headers) {
    }

    private record Invocation(String requestId, byte[] event) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-lambda-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final List<String> initErrors = new CopyOnWriteArrayList<>();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();

    LocalLambdaRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an invocation; the returned future completes when the runtime posts its response or error. */
    CompletableFuture<Answer> invoke(String requestId, byte[] event) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        answers.put(requestId, answer);
        pending.add(new Invocation(requestId, event));
        return answer;
    }

    List<String> initErrors() {
        return initErrors;
    }

    List<String> unexpectedRequests() {
        return unexpectedRequests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher posted = INVOCATION_POST.matcher(path);
            if (method.equals("GET") && path.equals(PREFIX + "/invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && posted.matches()) {
                CompletableFuture<Answer> answer = answers.get(posted.group(1));
                if (answer == null) {
                    unexpectedRequests.add(method + " " + path + " (unknown request id)");
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                answer.complete(new Answer(posted.group(2).equals("error"), body, Map.copyOf(exchange.getRequestHeaders())));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("POST") && path.equals(PREFIX + "/init/error")) {
                initErrors.add(body);
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                unexpectedRequests.add(method + " " + path);
                send(exchange, 404, new byte[0]);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = pending.take(); // like Lambda: the runtime waits here until there is work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 300_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
        // Lambda always sends a content type; the RIC's native client (aws-lambda-cpp) crashes without one
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, invocation.event());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow(); // interrupts a GET /next still waiting for work
    }
}
