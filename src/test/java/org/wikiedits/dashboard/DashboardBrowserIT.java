package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs; nothing is downloaded at test time) while events flow from a local
 * SSE server through the app: the page's counter follows the index's {@code _count}, the charts draw
 * data, and the history view shows the lake's daily counts. Screenshots go to {@code target/}.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Charts of the live page that must draw data. */
    private static final List<String> LIVE_CHARTS = List.of("chart-rate", "chart-types", "chart-top-wikis", "chart-top-pages");

    @TempDir
    Path data;

    @TempDir
    Path browserProfile;

    @Test
    void theLivePageFollowsTheIndexDrawsItsChartsAndTheHistoryShowsTheLakesDailyCounts() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();

        // 300 events through yesterday, then 1,200 at two a second up to now: two days in the lake, a busy last 15 minutes
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 300; n++) {
            lines.add(SyntheticEvents.event(n, yesterday.plusSeconds(288L * n - 144)));
        }
        for (int n = 301; n <= 1500; n++) {
            lines.add(SyntheticEvents.event(n, now.minusMillis(500L * (1500 - n))));
        }
        int httpPort = LoopbackPorts.free();
        int openSearchPort = LoopbackPorts.free();
        String openSearch = "http://127.0.0.1:" + openSearchPort;
        String page = "http://127.0.0.1:" + httpPort + "/";

        try (SseTestServer server = SseTestServer.start(lines)) {
            server.otherwise(SseTestServer.Connection.serveAll().withEventInterval(Duration.ofMillis(25)));
            Settings settings = Settings.load().with(Map.of(
                    "wikiedits.source.url", server.url(),
                    "wikiedits.data.dir", data.toString(),
                    "wikiedits.lake.roll-seconds", "1",
                    "wikiedits.index.linger-ms", "200",
                    "wikiedits.opensearch.embedded.http-port", String.valueOf(openSearchPort),
                    "wikiedits.http.port", String.valueOf(httpPort)));
            try (Pipeline pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector()).start()) {
                ChromeDriver browser = chromium();
                try {
                    browser.get(page);
                    await().atMost(Duration.ofSeconds(60)).until(() -> pageCount(browser) > 0);

                    // the counter is the index's _count: read between two counts one page refresh (2 s) apart
                    long before = indexCount(openSearch);
                    Thread.sleep(2_500);
                    long shown = pageCount(browser);
                    long after = indexCount(openSearch);
                    assertThat(shown).isBetween(before, after);

                    // and it moves while events flow
                    long first = pageCount(browser);
                    await().atMost(Duration.ofSeconds(10)).until(() -> pageCount(browser) > first);

                    for (String chart : LIVE_CHARTS) {
                        await(chart).atMost(Duration.ofSeconds(10)).until(() -> chartPoints(browser, chart) > 0);
                        assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
                    }
                    assertThat(browser.findElements(By.cssSelector("#feed tr"))).isNotEmpty();
                    assertThat(browser.findElement(By.cssSelector("#feed a")).getAttribute("href")).startsWith("https://");
                    // every live panel the API serves has its part on the page, and it draws rows (the summary: the header)
                    for (LivePanel<?> panel : LivePanels.ALL.stream().filter(panel -> panel != LivePanels.SUMMARY).toList()) {
                        String section = "panel-" + panel.name();
                        assertThat(browser.findElements(By.id(section)))
                                .as("the page part of live panel '%s' (LIVE_PANELS in dashboard.js)", panel.name()).isNotEmpty();
                        await(section).atMost(Duration.ofSeconds(10)).until(() -> rowsDrawn(browser, section) > 0);
                    }

                    // the history, once the lake holds every event: the page's days are the lake's days
                    String lastId = server.idOf(lines.size());
                    await().atMost(Duration.ofMinutes(2)).until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                    await().atMost(Duration.ofSeconds(10)).until(() -> pageCount(browser) == indexCount(openSearch));
                    screenshot(browser, "dashboard-live.png");
                    browser.findElement(By.id("tab-history")).click();
                    assertThat(browser.findElement(By.id("live")).isDisplayed()).isFalse();
                    await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("#daily tr")).isEmpty());
                    Map<String, Long> shownDays = new TreeMap<>();
                    for (WebElement row : browser.findElements(By.cssSelector("#daily tr"))) {
                        shownDays.put(row.getAttribute("data-day"), Long.parseLong(row.getAttribute("data-events")));
                    }
                    assertThat(shownDays).hasSize(2).isEqualTo(lakeDailyCounts(data, yesterday));
                    assertThat(chartPoints(browser, "chart-daily")).isEqualTo(2);
                    await().atMost(Duration.ofSeconds(10)).until(() -> chartPoints(browser, "chart-hourly") > 0);
                    screenshot(browser, "dashboard-history.png");
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /** Debian's chromium through Debian's chromedriver, headless, with a fresh profile; nothing is downloaded. */
    private ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + browserProfile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1500));
        return driver;
    }

    private static long pageCount(ChromeDriver browser) {
        String value = browser.findElement(By.id("event-count")).getAttribute("data-value");
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }

    /** The rows a panel drew, as the page notes them ({@code data-rows}). */
    private static long rowsDrawn(ChromeDriver browser, String section) {
        String rows = browser.findElement(By.id(section)).getAttribute("data-rows");
        return rows == null || rows.isEmpty() ? 0 : Long.parseLong(rows);
    }

    /** The data points of a chart's first series, as ECharts holds them. */
    private static long chartPoints(ChromeDriver browser, String chart) {
        Object points = ((JavascriptExecutor) browser).executeScript(
                "var c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                        + "if (!c) { return 0; } var s = c.getOption().series; return s && s.length ? s[0].data.length : 0;", chart);
        return ((Number) points).longValue();
    }

    /** The index's {@code _count}, as searches see it (no refresh forced). */
    private static long indexCount(String openSearch) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(openSearch + "/wikiedits/_count")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("count").asLong();
    }

    /** Events per day in the lake, from the named query the history panel uses, run here with DuckDB directly. */
    private static Map<String, Long> lakeDailyCounts(Path data, Instant yesterday) throws Exception {
        LocalDate from = LocalDate.ofInstant(yesterday, ZoneOffset.UTC);
        Map<String, Long> days = new TreeMap<>();
        try (Connection duckDb = LakeSql.openDuckDb(data.resolve("lake"))) {
            NamedQueries.BOT_SHARE.bind(from, from.plusDays(6), 100).run(duckDb).rows()
                    .forEach(row -> days.put(row.get(0).toString(), ((Number) row.get(1)).longValue()));
        }
        return days;
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
