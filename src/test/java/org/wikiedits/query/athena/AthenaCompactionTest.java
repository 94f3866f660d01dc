package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.IcebergSql;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.query.compaction.ParquetCompaction;

class AthenaCompactionTest {

    @Test
    void aDayIsCompleteItsGraceAfterItsEnd() {
        ParquetCompaction.Limits limits = new ParquetCompaction.Limits(Duration.ofHours(2), "256MB", 1);
        assertThat(limits.lastCompleteDay(Instant.parse("2026-08-05T01:59:59Z")))
                .isEqualTo(LocalDate.parse("2026-08-03"));
        assertThat(limits.lastCompleteDay(Instant.parse("2026-08-05T02:00:00Z")))
                .isEqualTo(LocalDate.parse("2026-08-04"));
    }

    @Test
    void allMergesTheRawDaysAfterTheNewestCompactedOneAndReplacesTheViewLast() {
        List<String> sent = new ArrayList<>();
        AthenaCompaction.Statements athena = (label, sql) -> {
            sent.add(sql);
            if (label.equals("newest compacted day")) {
                return result(List.of("2026-08-01"));
            }
            if (label.equals("raw days to compact")) {
                return result(List.of("2026-08-02", "2026-08-03"));
            }
            return result(List.of());
        };
        IcebergSql sql = IcebergSql.athena("wikiedits", "s3://lake/compacted/");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new AthenaCompaction(sql, "wikiedits", athena, new PrintStream(out, true, StandardCharsets.UTF_8))
                .compact(null, LocalDate.parse("2026-08-04"));

        assertThat(sent.get(5)).contains("WHERE dt > '2026-08-01' AND dt <= '2026-08-04'");
        assertThat(sent.subList(6, 14)).isEqualTo(concat(sql.compactDay(LocalDate.parse("2026-08-02")),
                sql.compactDay(LocalDate.parse("2026-08-03"))));
        assertThat(sent.get(sent.size() - 1)).isEqualTo(sql.createAllView());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 days compacted");
    }

    @Test
    void theTablesAreIcebergTablesOnTheLakeBucketPartitionedByDtInAthenasDdl() {
        List<String> tables = IcebergSql.athena("wikiedits", AthenaCompaction.location("my-lake")).createTables();

        assertThat(tables).hasSize(4).allSatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS `wikiedits`.`wikiedits_")
                .contains("PARTITIONED BY (`dt`)").contains("TBLPROPERTIES ('table_type'='ICEBERG'")
                .contains("LOCATION 's3://my-lake/compacted/wikiedits_"));
        assertThat(tables.get(0)).contains("`user` string", "`event_time` timestamp", "`dt` date");
        assertThatThrownBy(() -> AthenaCompaction.location("")).hasMessageContaining("set wikiedits.s3.bucket");
    }

    private static NamedQueries.Result result(List<String> days) {
        return new NamedQueries.Result(List.of("dt"), days.stream().map(d -> List.<Object>of(d)).toList());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
