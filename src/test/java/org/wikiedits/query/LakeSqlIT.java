package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.LakeColumn;
import org.wikiedits.transform.RecentChange;

/** The lake written by CsvRow reads back through DuckDB's typed view with every value intact. */
class LakeSqlIT {

    @TempDir
    Path lake;

    @Test
    void everyLakeColumnRoundTripsTypedThroughTheView() throws Exception {
        List<RecentChange> events = new ArrayList<>();
        Fixtures.eventNames().forEach(name -> events.add(Fixtures.recentChange(name)));
        events.addAll(TestLake.trickyEvents(20260804L, 400));
        TestLake.write(lake, events, 3);

        Map<String, RecentChange> byId = new HashMap<>();
        events.forEach(rc -> byId.put(rc.eventId(), rc));
        int rows = 0;
        try (Connection duckDb = LakeSql.openDuckDb(lake);
                Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + LakeSql.VIEW)) {
            while (rs.next()) {
                rows++;
                RecentChange rc = byId.get(rs.getString("event_id"));
                assertThat(rc).as("row with event_id %s", rs.getString("event_id")).isNotNull();
                for (LakeColumn column : LakeColumn.values()) {
                    Object actual = column.type() == LakeColumn.Type.TIMESTAMP
                            ? rs.getObject(column.columnName(), LocalDateTime.class)
                            : rs.getObject(column.columnName());
                    assertThat(actual).as("%s of %s", column.columnName(), rc.eventId()).isEqualTo(expected(column, rc));
                }
                Instant time = rc.eventTime();
                assertThat(rs.getString("dt")).isEqualTo(time.atZone(ZoneOffset.UTC).toLocalDate().toString());
                assertThat(rs.getString("hour")).isEqualTo(String.format("%02d", time.atZone(ZoneOffset.UTC).getHour()));
            }
        }
        assertThat(rows).isEqualTo(events.size());
    }

    @Test
    void theViewHasTheLakeColumnsWithTheirTypesThenDtAndHour() throws Exception {
        TestLake.write(lake, List.of(Fixtures.recentChange("edit-basic")), 1);

        try (Connection duckDb = LakeSql.openDuckDb(lake)) {
            assertThat(describe(duckDb)).containsExactlyElementsOf(expectedSchema());
        }
    }

    @Test
    void aLakeWithoutFilesGivesTheSameViewWithNoRows() throws Exception {
        try (Connection duckDb = LakeSql.openDuckDb(lake);
                Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + LakeSql.VIEW)) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(LakeSql.hasLakeFiles(duckDb, lake)).isFalse();
            assertThat(describe(duckDb)).containsExactlyElementsOf(expectedSchema());
        }
    }

    @Test
    void valuesThatDoNotCastAreNullNotErrors() throws Exception {
        Path partition = lake.resolve("wikiedits/dt=2026-08-04/hour=15");
        Files.createDirectories(partition);
        Files.writeString(partition.resolve("odd.csv"),
                "odd-1,not a time,12x,99999999999999999999,edit,enwiki,,1e3,T,U,maybe,TRUE,0,2147483648,-0,,,,,\n",
                StandardCharsets.UTF_8);

        try (Connection duckDb = LakeSql.openDuckDb(lake);
                Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + LakeSql.VIEW)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("event_time")).isNull();
            assertThat(rs.getObject("timestamp")).isNull();
            assertThat(rs.getObject("rc_id")).as("beyond bigint").isNull();
            assertThat(rs.getObject("server_name")).isNull();
            assertThat(rs.getObject("bot")).isNull();
            assertThat(rs.getObject("minor")).isEqualTo(true);
            assertThat(rs.getObject("patrolled")).isEqualTo(false);
            assertThat(rs.getObject("length_old")).as("beyond int").isNull();
            assertThat(rs.getObject("length_new")).isEqualTo(0);
        }
    }

    @Test
    void aRowAsLongAsA5MegabyteEventIsReadLikeAnyOther() throws Exception {
        String comment = "big ".repeat(5 * 1024 * 1024 / 4); // the stream has no size limit; its rows neither
        Path partition = lake.resolve("wikiedits/dt=2026-08-04/hour=15");
        Files.createDirectories(partition);
        Files.writeString(partition.resolve("big.csv"), "big-1,2026-08-04T15:00:00.000Z,,,edit,enwiki,,,,,,,,,,,,,,\"" + comment
                + "\"\nsmall-1,2026-08-04T15:00:01.000Z,,,edit,enwiki,,,,,,,,,,,,,,short\n", StandardCharsets.UTF_8);

        try (Connection duckDb = LakeSql.openDuckDb(lake);
                Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT event_id, length(comment) FROM " + LakeSql.VIEW + " ORDER BY event_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("big-1");
            assertThat(rs.getLong(2)).isEqualTo(comment.length());
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("small-1");
        }
    }

    @Test
    void aRowWithAnotherNumberOfFieldsFailsTheQueryWithTheFileNamed() throws Exception {
        Path partition = lake.resolve("wikiedits/dt=2026-08-04/hour=15");
        Files.createDirectories(partition);
        Files.writeString(partition.resolve("broken.csv"), "only,three,fields\n", StandardCharsets.UTF_8);

        try (Connection duckDb = LakeSql.openDuckDb(lake); Statement statement = duckDb.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM " + LakeSql.VIEW))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("broken.csv");
        }
    }

    @Test
    void filesOutsideThePartitionLayoutOrNotEndingInCsvAreNotRead() throws Exception {
        TestLake.write(lake, List.of(Fixtures.recentChange("edit-basic")), 1);
        Path partition = TestLake.partition(lake, Fixtures.recentChange("edit-basic").eventTime());
        Files.writeString(partition.resolve("part-9.csv.tmp"), "garbage in progress", StandardCharsets.UTF_8);
        Files.writeString(lake.resolve("wikiedits").resolve("stray.csv"), "garbage", StandardCharsets.UTF_8);

        try (Connection duckDb = LakeSql.openDuckDb(lake);
                Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + LakeSql.VIEW)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    /** The contract's typed value of a column, stated here independently of LakeColumn's extractors. */
    static Object expected(LakeColumn column, RecentChange rc) {
        return switch (column) {
            case EVENT_ID -> lakeText(rc.eventId());
            case EVENT_TIME -> LocalDateTime.ofInstant(rc.eventTime().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
            case TIMESTAMP -> rc.timestamp();
            case RC_ID -> rc.rcId();
            case TYPE -> lakeText(rc.type());
            case WIKI -> lakeText(rc.wiki());
            case SERVER_NAME -> lakeText(rc.serverName());
            case NAMESPACE -> rc.namespace();
            case TITLE -> lakeText(rc.title());
            case USER -> lakeText(rc.user());
            case BOT -> rc.bot();
            case MINOR -> rc.minor();
            case PATROLLED -> rc.patrolled();
            case LENGTH_OLD -> rc.lengthOld();
            case LENGTH_NEW -> rc.lengthNew();
            case REVISION_OLD -> rc.revisionOld();
            case REVISION_NEW -> rc.revisionNew();
            case LOG_TYPE -> lakeText(rc.logType());
            case LOG_ACTION -> lakeText(rc.logAction());
            case COMMENT -> lakeText(rc.comment());
        };
    }

    /** Contract: empty = absent; CR, LF and CRLF become one space each; U+0000 is never data. */
    static String lakeText(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\u0000', '\uFFFD');
    }

    private static List<String> expectedSchema() {
        List<String> schema = new ArrayList<>();
        for (LakeColumn column : LakeColumn.values()) {
            schema.add(column.columnName() + " " + column.type().duckDbType());
        }
        schema.add("dt VARCHAR");
        schema.add("hour VARCHAR");
        return schema;
    }

    private static List<String> describe(Connection duckDb) throws SQLException {
        List<String> schema = new ArrayList<>();
        try (Statement statement = duckDb.createStatement();
                ResultSet rs = statement.executeQuery("DESCRIBE " + LakeSql.VIEW)) {
            while (rs.next()) {
                schema.add(rs.getString("column_name") + " " + rs.getString("column_type"));
            }
        }
        return schema;
    }
}
