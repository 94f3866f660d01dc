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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
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
import org.openqa.selenium.support.ui.Select;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.query.LakeSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.Samples;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs; nothing is downloaded at test time) while the recorded samples
 * ({@link Samples}: events of 2018 and of 2026) are replayed from a local SSE server through the app:
 * the page's counter follows the index's {@code _count}, the charts draw data, the window choice changes
 * the panels and each says its window, rows that span days show dates, and the history opens on the
 * lake's days. Screenshots go to {@code target/} ({@code docs/dashboard-*.png} are copies of them).
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Charts of the live page that must draw data. */
    private static final List<String> LIVE_CHARTS = List.of("chart-rate", "chart-types", "chart-top-wikis", "chart-top-pages");
    /** A time with its date, as the feed shows it when its rows span more than one day. */
    private static final String DATED = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

    @TempDir
    Path data;

    @TempDir
    Path browserProfile;

    @Test
    void aReplayOfRecordingsThatSpanYearsShowsOnTheLiveAndHistoryPages() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();

        List<String> lines = Samples.lines(); // 2018 (Wikidata) and 2026 (two recordings a month apart)
        int httpPort = LoopbackPorts.free();
        int openSearchPort = LoopbackPorts.free();
        String openSearch = "http://127.0.0.1:" + openSearchPort;
        String page = "http://127.0.0.1:" + httpPort + "/";

        try (SseTestServer server = SseTestServer.start(lines)) {
            server.otherwise(SseTestServer.Connection.serveAll().withEventInterval(Duration.ofMillis(15)));
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

                    // the whole replay delivered: the live panels show its last 15 minutes of event time
                    String lastId = server.idOf(lines.size());
                    await().atMost(Duration.ofMinutes(2)).until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
                    await().atMost(Duration.ofSeconds(10)).until(() -> pageCount(browser) == indexCount(openSearch));
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
                        if (panel instanceof LivePanels.AlertsPanel) { // this replay raises no alert (DetectorsIT shows one): it says so
                            await(section).atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.cssSelector("#" + section
                                    + " .empty")).getText().startsWith("No alerts"));
                        } else {
                            await(section).atMost(Duration.ofSeconds(10)).until(() -> rowsDrawn(browser, section) > 0);
                        }
                    }

                    SoftAssertions soft = new SoftAssertions(); // every new check runs, so one run lists each that fails
                    // every panel says the window it covers; the feed's rows (2026-09 and 2026-08) show their dates
                    for (String section : List.of("panel-rate", "panel-types", "panel-top-wikis", "panel-top-pages",
                            "panel-biggest-changes")) {
                        soft.assertThat(title(browser, section)).as(section + " names its window").contains("last 15 minutes");
                    }
                    soft.assertThat(title(browser, "panel-feed")).as("the feed says it is not windowed").contains("newest");
                    List<String> feedTimes = texts(browser, "#feed tr td:first-child"); // read at once: the page redraws every 2 s
                    soft.assertThat(feedTimes).as("feed rows of two days show their dates").isNotEmpty()
                            .allSatisfy(time -> assertThat(time).matches(DATED));
                    // a long health reason wraps inside its panel
                    soft.assertThat(longReasonStaysInsideItsPanel(browser)).as("a 400-character health reason fits its panel").isTrue();
                    // the last label of "By type"'s value axis is inside the chart
                    soft.assertThat(chartOption(browser, "chart-types", "return o.grid[0].containLabel === true;"))
                            .as("By type keeps its axis labels inside the chart").isEqualTo(true);

                    // the window choice: everything indexed brings the 2018 Wikidata events into the panels
                    List<WebElement> choice = browser.findElements(By.id("window"));
                    soft.assertThat(choice).as("a window choice on the live page").isNotEmpty();
                    if (!choice.isEmpty()) {
                        soft.assertThat(new Select(choice.get(0)).getOptions()).extracting(option -> option.getAttribute("value"))
                                .containsExactly("15m", "1h", "24h", "all");
                        soft.assertThat(topWikis(browser)).as("the last 15 minutes").doesNotContain("wikidatawiki");
                        new Select(choice.get(0)).selectByValue("all");
                        await().atMost(Duration.ofSeconds(10)).until(() -> title(browser, "panel-top-wikis").contains("everything indexed"));
                        await().atMost(Duration.ofSeconds(10)).until(() -> topWikis(browser).contains("wikidatawiki"));
                        for (String section : List.of("panel-rate", "panel-types", "panel-top-pages", "panel-biggest-changes")) {
                            soft.assertThat(title(browser, section)).as(section + " names its window").contains("everything indexed");
                        }
                        // rates over years are per day, and the bars are dated
                        soft.assertThat(title(browser, "panel-rate")).contains("per day");
                        soft.assertThat(String.valueOf(chartOption(browser, "chart-rate", "return o.xAxis[0].data[0];")))
                                .matches("\\d{4}-\\d{2}-\\d{2}.*");
                        screenshot(browser, "dashboard-live.png");
                        new Select(choice.get(0)).selectByValue("15m");
                    }

                    // the history opens on the lake's last days (2026-09), says which days it has, draws one hour as a bar
                    browser.findElement(By.id("tab-history")).click();
                    assertThat(browser.findElement(By.id("live")).isDisplayed()).isFalse();
                    List<String> lakeDays = new ArrayList<>(lakeDailyCounts(data, FIRST, LAST).keySet());
                    LocalDate lastDay = LocalDate.parse(lakeDays.get(lakeDays.size() - 1));
                    await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("#daily tr")).isEmpty()
                            || browser.findElement(By.cssSelector("#panel-daily .empty")).isDisplayed());
                    soft.assertThat(browser.findElement(By.id("to")).getAttribute("value")).as("opens on the lake's last day")
                            .isEqualTo(lastDay.toString());
                    soft.assertThat(browser.findElement(By.cssSelector("#panel-daily")).getText()).doesNotContain("once a minute");
                    List<WebElement> said = browser.findElements(By.id("lake-days"));
                    soft.assertThat(said).as("the page says which days the lake has").isNotEmpty();
                    if (!said.isEmpty()) {
                        soft.assertThat(said.get(0).getText()).contains(lakeDays.get(0), lastDay.toString());
                    }
                    Map<String, Long> shownDays = new TreeMap<>();
                    for (WebElement row : browser.findElements(By.cssSelector("#daily tr"))) {
                        shownDays.put(row.getAttribute("data-day"), Long.parseLong(row.getAttribute("data-events")));
                    }
                    LocalDate from = LocalDate.parse(browser.findElement(By.id("from")).getAttribute("value"));
                    soft.assertThat(shownDays).isNotEmpty()
                            .isEqualTo(from.isAfter(lastDay) ? Map.of() : lakeDailyCounts(data, from, lastDay));
                    soft.assertThat(chartPoints(browser, "chart-daily")).isEqualTo(shownDays.size());
                    try {
                        await().atMost(Duration.ofSeconds(10)).until(() -> chartPoints(browser, "chart-hourly") > 0);
                    } catch (ConditionTimeoutException e) {
                        soft.fail("the hourly chart drew no hour of the lake's last days");
                    }
                    soft.assertThat(chartOption(browser, "chart-hourly", "return o.series[0].type;"))
                            .as("hours as bars: one hour is a bar, not a dot").isEqualTo("bar");
                    screenshot(browser, "dashboard-history.png");
                    soft.assertAll();
                } finally {
                    browser.quit();
                }
            }
        }
    }

    private static final LocalDate FIRST = LocalDate.parse("2000-01-01");
    private static final LocalDate LAST = LocalDate.parse("2099-12-31");

    /** The text of each element {@code selector} selects, read in one script (between two redraws). */
    @SuppressWarnings("unchecked")
    private static List<String> texts(ChromeDriver browser, String selector) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) { return e.textContent; });", selector);
    }

    /** The title of a panel, with what its {@code <small>} says. */
    private static String title(ChromeDriver browser, String section) {
        return browser.findElement(By.cssSelector("#" + section + " h2")).getText();
    }

    /** The wikis the live "Top wikis" chart shows. */
    @SuppressWarnings("unchecked")
    private static List<String> topWikis(ChromeDriver browser) {
        Object wikis = chartOption(browser, "chart-top-wikis", "return o.yAxis[0].data;");
        return wikis instanceof List<?> list ? (List<String>) list : List.of();
    }

    /** What {@code script} returns about a chart's option {@code o}; null without the chart. */
    private static Object chartOption(ChromeDriver browser, String chart, String script) {
        return ((JavascriptExecutor) browser).executeScript(
                "var c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                        + "if (!c) { return null; } var o = c.getOption();" + script, chart);
    }

    /** Puts a 400-character reason without spaces in the pipeline panel and measures, before the next refresh redraws it. */
    private static boolean longReasonStaysInsideItsPanel(ChromeDriver browser) {
        Object fits = ((JavascriptExecutor) browser).executeScript(
                "var dd = document.querySelector('#pipeline dd'); if (!dd) { return false; }"
                        + "dd.textContent = 'DEGRADED: ' + 'x'.repeat(400);"
                        + "var panel = document.getElementById('panel-pipeline');"
                        + "return panel.scrollWidth <= panel.clientWidth && dd.getBoundingClientRect().right <= panel.getBoundingClientRect().right;");
        return Boolean.TRUE.equals(fits);
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

    /** Events per day in the lake from {@code from} to {@code to}, from the named query the history panel uses, run here with DuckDB directly. */
    private static Map<String, Long> lakeDailyCounts(Path data, LocalDate from, LocalDate to) throws Exception {
        Map<String, Long> days = new TreeMap<>();
        try (Connection duckDb = LakeSql.openDuckDb(data.resolve("lake"))) {
            NamedQueries.BOT_SHARE.bind(from, to, 10_000).run(duckDb).rows()
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
