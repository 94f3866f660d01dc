package org.wikiedits.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.transform.LakeColumn;

class LakeSqlTest {

    @Test
    void theGlueColumnsAreTheLakeColumnsInOrderAllStrings() {
        assertThat(LakeSql.glueColumns()).extracting(LakeSql.GlueColumn::name)
                .containsExactlyElementsOf(Arrays.stream(LakeColumn.values()).map(LakeColumn::columnName).toList());
        assertThat(LakeSql.glueColumns()).extracting(LakeSql.GlueColumn::type).containsOnly("string");
        assertThat(LakeSql.gluePartitionKeys()).containsExactly(
                new LakeSql.GlueColumn("dt", "string"), new LakeSql.GlueColumn("hour", "string"));
    }

    @Test
    void theAthenaViewCastsEveryTypedColumnAndReadsTheEventTimeAsIso8601() {
        String ddl = LakeSql.athenaCreateView("wikiedits_db", "wikiedits");

        assertThat(ddl).startsWith("CREATE OR REPLACE VIEW wikiedits_v AS SELECT")
                .endsWith("FROM \"wikiedits_db\".\"wikiedits\"")
                .contains("CAST(TRY(from_iso8601_timestamp(NULLIF(\"event_time\", ''))) AS timestamp) AS \"event_time\"")
                .contains("TRY_CAST(NULLIF(\"rc_id\", '') AS bigint) AS \"rc_id\"")
                .contains("TRY_CAST(NULLIF(\"namespace\", '') AS integer) AS \"namespace\"")
                .contains("TRY_CAST(NULLIF(\"bot\", '') AS boolean) AS \"bot\"")
                .contains("NULLIF(\"user\", '') AS \"user\"")
                .contains("\"dt\",\n  \"hour\"");
        for (LakeColumn column : LakeColumn.values()) {
            assertThat(ddl).contains(" AS \"" + column.columnName() + "\"");
        }
    }

    @Test
    void glueNamesAreValidatedNotQuotedAround() {
        assertThatThrownBy(() -> LakeSql.athenaCreateView("db\"; DROP TABLE x; --", "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Glue database name");
        assertThatThrownBy(() -> LakeSql.athenaCreateView("db", "Wiki-Edits"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Glue table name");
    }

    @Test
    void theDuckDbReaderReadsStringsFromTheHivePartitionedGlob() {
        String readCsv = LakeSql.duckDbReadCsv(Path.of("/data/it's lake"));

        assertThat(readCsv).startsWith("read_csv('/data/it''s lake/wikiedits/*/*/*.csv'")
                .contains("header = false").contains("hive_partitioning = true")
                .contains("hive_types = {'dt': 'VARCHAR', 'hour': 'VARCHAR'}")
                .contains("'event_id': 'VARCHAR'").contains("'comment': 'VARCHAR'");
    }

    @Test
    void theSerdeDisablesOpenCsvBackslashEscapes() {
        assertThat(LakeSql.glueSerdeParameters()).containsEntry("separatorChar", ",").containsEntry("quoteChar", "\"")
                .containsEntry("escapeChar", "\u0000");
    }

    @Test
    void partitionProjectionFollowsTheLakeLayout() {
        assertThat(LakeSql.glueTableParameters("s3://bucket/wikiedits"))
                .containsEntry("storage.location.template", "s3://bucket/wikiedits/dt=${dt}/hour=${hour}/")
                .containsEntry("projection.dt.format", "yyyy-MM-dd")
                .containsEntry("projection.hour.digits", "2");
        assertThatThrownBy(() -> LakeSql.glueTableParameters("/local/path"))
                .hasMessageContaining("s3:// URI");
        assertThat(LakeSql.PARTITION_COLUMNS).isEqualTo(List.of("dt", "hour"));
    }
}
