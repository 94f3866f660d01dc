package org.wikiedits.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The dashboard's files, from a fixed list: the page, its script, style and icon from
 * {@code dashboard/} on the class path, and ECharts from its WebJar. A request names an asset,
 * never a path, so nothing else on the class path or the disk can be read through it. Files are
 * read once and kept (about 1 MB, nearly all ECharts).
 */
public final class DashboardAssets {

    private record Asset(String resource, String contentType, byte[] bytes) {
    }

    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private final Map<String, Asset> assets;

    public DashboardAssets() {
        this(DashboardAssets.class.getClassLoader());
    }

    DashboardAssets(ClassLoader loader) {
        String echarts = "META-INF/resources/webjars/echarts/" + webJarVersion(loader) + "/dist/echarts.min.js";
        assets = Map.of(
                "index.html", load(loader, "dashboard/index.html", "text/html; charset=utf-8"),
                "dashboard.js", load(loader, "dashboard/dashboard.js", "text/javascript; charset=utf-8"),
                "dashboard.css", load(loader, "dashboard/dashboard.css", "text/css; charset=utf-8"),
                "echarts.min.js", load(loader, echarts, "text/javascript; charset=utf-8"),
                "favicon.ico", load(loader, "dashboard/favicon.ico", "image/x-icon"));
    }

    /** {@code GET /}: the page. */
    public void page(Exchange exchange) {
        answer(exchange, "index.html");
    }

    /** {@code GET /favicon.ico}: the icon, also for clients that ask for it without reading the page. */
    public void icon(Exchange exchange) {
        answer(exchange, "favicon.ico");
    }

    /** {@code GET /assets/{asset}}: one of the listed files, else 404. */
    public void asset(Exchange exchange) {
        answer(exchange, exchange.getMessage().getHeader("asset", String.class));
    }

    private void answer(Exchange exchange, String name) {
        Message message = exchange.getMessage();
        Asset asset = name == null ? null : assets.get(name);
        if (asset == null || asset.bytes() == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(asset == null ? "No such dashboard file" : asset.resource() + " is not on the class path");
            return;
        }
        message.setHeader(Exchange.CONTENT_TYPE, asset.contentType());
        message.setHeader("Cache-Control", name.equals("echarts.min.js") ? "public, max-age=86400" : "no-cache");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setBody(asset.bytes());
    }

    /** The ECharts version of the WebJar on the class path (its Maven metadata), so a version bump needs no code. */
    private static String webJarVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(ECHARTS_POM)) {
            if (in == null) {
                return "missing";
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version", "missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listed file; its bytes are {@code null} when it is absent (Camel JBang without the WebJar: the page says so). */
    private static Asset load(ClassLoader loader, String resource, String contentType) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return new Asset(resource, contentType, in == null ? null : in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
