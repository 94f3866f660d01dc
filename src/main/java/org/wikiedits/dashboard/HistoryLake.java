package org.wikiedits.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.wikiedits.query.BatchTables;
import org.wikiedits.query.NamedQueries;

/**
 * The history panels' bean ({@code historyLake}): each panel is one of the project's named
 * queries over a validated day range, run on the lake's engine ({@link LakeQueryRunner}). Answers
 * are kept for {@link #REUSE} (lake files commit about once a minute), so a page left open does
 * not re-run queries every refresh.
 */
public final class HistoryLake extends ServiceSupport {

    static final Duration REUSE = Duration.ofSeconds(30);
    /** Enough rows for a year of days (or 24 hours a day for two weeks) in the charts. */
    private static final int SERIES_ROWS = 10_000;

    /** A panel's rows as column name to value, plus the range asked for and, when there are none, why. */
    public record Table(String panel, String from, String to, List<Map<String, Object>> rows, String empty) {
    }

    /** The parameters of {@code /api/history/{panel}}. */
    static final List<String> PARAMETERS = List.of("from", "to", "limit");

    /**
     * The days the lake has, with their events, whatever the range: the page opens on them, and an empty
     * range names them. A query of the dashboard only, so it is not one of the command line's named queries.
     */
    static final NamedQueries.NamedQuery LAKE_DAYS = new NamedQueries.NamedQuery("lake_days",
            "the days (UTC) the lake has, with their events", """
            SELECT dt, count(*) AS events
            FROM %s
            WHERE dt BETWEEN ? AND ?
            GROUP BY dt
            ORDER BY dt
            LIMIT {limit}""".formatted(BatchTables.ALL));

    /** The panels of {@code /api/history/{panel}}, each one named query. */
    enum Panel {
        DAILY(NamedQueries.BOT_SHARE), HOURLY(NamedQueries.HOURLY_COUNTS), TOP_WIKIS(NamedQueries.TOP_WIKIS),
        TOP_PAGES(NamedQueries.MOST_EDITED), DAYS(LAKE_DAYS);

        final NamedQueries.NamedQuery query;

        Panel(NamedQueries.NamedQuery query) {
            this.query = query;
        }

        String apiName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean isSeries() {
            return this == DAILY || this == HOURLY || this == DAYS;
        }
    }

    private record Cached(Table table, Instant at) {
    }

    private final LakeQueryRunner lake;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > 64;
        }
    };

    public HistoryLake(LakeQueryRunner lake, Clock clock) {
        this.lake = lake;
        this.clock = clock;
    }

    /**
     * The answer of panel {@code name} for the days {@code from}..{@code to} (YYYY-MM-DD; defaults: the last week;
     * {@code days}: every day the lake has, whatever the range).
     */
    public Table panel(@Header("panel") String name, @Header("from") String from, @Header("to") String to,
                       @Header("limit") String limit, @Header(Exchange.HTTP_QUERY) String query) {
        Panel panel = panel(name);
        ApiParameters.DayRange days = ApiParameters.days(from, to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        int rows = panel.isSeries() ? SERIES_ROWS : ApiParameters.limit(limit);
        ApiParameters.onlyKnown(query, "/api/history/", PARAMETERS);
        return cached(panel, panel == Panel.DAYS ? EVERY_DAY : days, rows);
    }

    /** The range of {@link Panel#DAYS}: every day. */
    private static final ApiParameters.DayRange EVERY_DAY = new ApiParameters.DayRange(LocalDate.of(1, 1, 1),
            LocalDate.of(9999, 12, 31));

    private Table cached(Panel panel, ApiParameters.DayRange days, int rows) {
        String key = panel + "/" + days.from() + "/" + days.to() + "/" + rows;
        Instant now = clock.instant();
        synchronized (cache) {
            Cached cached = cache.get(key);
            if (cached != null && Duration.between(cached.at(), now).compareTo(REUSE) < 0) {
                return cached.table();
            }
        }
        Table table = run(panel, days, rows);
        synchronized (cache) {
            cache.put(key, new Cached(table, now));
        }
        return table;
    }

    private Table run(Panel panel, ApiParameters.DayRange days, int rows) {
        NamedQueries.Result result;
        try {
            result = lake.run(panel.query.bind(days.from(), days.to(), rows));
        } catch (IllegalArgumentException | PanelUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new PanelUnavailableException("The lake query " + panel.query.name() + " failed ("
                    + e.getClass().getSimpleName() + "): see the log", "on " + lake.describe() + ": " + e.getMessage(), e);
        }
        List<Map<String, Object>> table = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            Map<String, Object> named = new LinkedHashMap<>();
            for (int c = 0; c < result.columns().size(); c++) {
                named.put(result.columns().get(c), json(row.get(c)));
            }
            table.add(named);
        }
        return new Table(panel.apiName(), days.from().toString(), days.to().toString(), table,
                table.isEmpty() ? emptyBecause(panel, days) : null);
    }

    /** Why a range has no rows: the lake has no files yet (they commit about once a minute), or other days only. */
    private String emptyBecause(Panel panel, ApiParameters.DayRange days) {
        List<Map<String, Object>> lakeDays = panel == Panel.DAYS ? List.of() : cached(Panel.DAYS, EVERY_DAY, SERIES_ROWS).rows();
        if (lakeDays.isEmpty()) {
            return "No events in the lake yet: lake files are committed about once a minute after events arrive";
        }
        String first = String.valueOf(lakeDays.get(0).get("dt"));
        String last = String.valueOf(lakeDays.get(lakeDays.size() - 1).get("dt"));
        return "No events in the lake from " + days.from() + " to " + days.to() + "; it has "
                + (lakeDays.size() == 1 ? "one day, " + first : lakeDays.size() + " days, from " + first + " to " + last);
    }

    static Panel panel(String name) {
        for (Panel panel : Panel.values()) {
            if (panel.apiName().equals(name)) {
                return panel;
            }
        }
        throw new IllegalArgumentException("no history panel '" + (name == null || name.length() > 20 ? "?" : name)
                + "'; the panels are daily, hourly, top-wikis, top-pages, days");
    }

    /** JDBC values as JSON-friendly ones: numbers and booleans stay, everything else is text. */
    private static Object json(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }

    @Override
    protected void doStop() throws Exception {
        lake.close();
    }
}
