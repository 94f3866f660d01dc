package org.wikiedits.query.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.ResultSet;
import software.amazon.awssdk.services.athena.model.ResultSetMetadata;
import software.amazon.awssdk.services.athena.model.Row;

class AthenaResultsTest {

    private static final List<ColumnInfo> DAILY_COUNTS = List.of(column("dt", "varchar"), column("wiki", "varchar"),
            column("type", "varchar"), column("events", "bigint"));

    @Test
    void theHeaderRowOfTheFirstPageIsDroppedAndValuesAreTypedLikeDuckDbs() {
        AthenaResults results = new AthenaResults();
        results.add(page(DAILY_COUNTS, row("dt", "wiki", "type", "events"), row("2026-08-04", "enwiki", "edit", "2"),
                row("2026-08-04", null, "log", "1")));

        NamedQueries.Result result = results.result();

        assertThat(result.columns()).containsExactly("dt", "wiki", "type", "events");
        assertThat(result.rows()).containsExactly(List.of("2026-08-04", "enwiki", "edit", 2L),
                Arrays.asList("2026-08-04", null, "log", 1L));
    }

    @Test
    void laterPagesKeepEveryRowEvenOneThatLooksLikeTheHeader() {
        List<ColumnInfo> columns = List.of(column("title", "varchar"));
        AthenaResults results = new AthenaResults();
        results.add(page(columns, row("title"), row("A")));
        results.add(page(columns, row("title"), row("B")));

        assertThat(results.result().rows()).containsExactly(List.of("A"), List.of("title"), List.of("B"));
        assertThat(results.pages()).isEqualTo(2);
    }

    @Test
    void aFirstPageWithoutAHeaderRowLosesNoRow() {
        AthenaResults results = new AthenaResults();
        results.add(page(DAILY_COUNTS, row("2026-08-04", "enwiki", "edit", "2")));

        assertThat(results.result().rows()).containsExactly(List.of("2026-08-04", "enwiki", "edit", 2L));
    }

    @Test
    void anEmptyResultHasItsColumnsAndNoRows() {
        AthenaResults results = new AthenaResults();
        results.add(page(DAILY_COUNTS, row("dt", "wiki", "type", "events")));

        assertThat(results.result().columns()).hasSize(4);
        assertThat(results.result().rows()).isEmpty();
    }

    @Test
    void everyAthenaTypeTheQueriesCanReturnMapsToTheJavaTypeOfTheLocalSide() {
        assertThat(AthenaResults.value("bigint", "9007199254740993")).isEqualTo(9007199254740993L);
        assertThat(AthenaResults.value("integer", "-5")).isEqualTo(-5);
        assertThat(AthenaResults.value("smallint", "7")).isEqualTo(7);
        assertThat(AthenaResults.value("tinyint", "1")).isEqualTo(1);
        assertThat(AthenaResults.value("double", "0.3333")).isEqualTo(0.3333d);
        assertThat(AthenaResults.value("real", "1.5")).isEqualTo(1.5f);
        assertThat(AthenaResults.value("decimal(10,2)", "12.30")).isEqualTo(new BigDecimal("12.30"));
        assertThat(AthenaResults.value("boolean", "true")).isEqualTo(true);
        assertThat(AthenaResults.value("date", "2026-08-04")).isEqualTo(LocalDate.of(2026, 8, 4));
        assertThat(AthenaResults.value("timestamp", "2026-08-04 15:24:29.724"))
                .isEqualTo(Timestamp.valueOf("2026-08-04 15:24:29.724"));
        assertThat(AthenaResults.value("varchar", "")).isEqualTo("");
        assertThat(AthenaResults.value("array(varchar)", "[a, b]")).isEqualTo("[a, b]");
        assertThat(AthenaResults.value("bigint", null)).isNull();
    }

    @Test
    void aValueThatDoesNotMatchItsColumnTypeIsReportedWithTheType() {
        assertThatThrownBy(() -> AthenaResults.value("bigint", "many"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'many'").hasMessageContaining("bigint");
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsAnError() {
        AthenaResults results = new AthenaResults();

        assertThatThrownBy(() -> results.add(page(DAILY_COUNTS, row("2026-08-04", "enwiki"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 values for 4 columns");
    }

    static ColumnInfo column(String name, String type) {
        return ColumnInfo.builder().name(name).label(name).type(type).build();
    }

    static Row row(String... values) {
        List<Datum> data = new ArrayList<>();
        for (String value : values) {
            data.add(value == null ? Datum.builder().build() : Datum.builder().varCharValue(value).build());
        }
        return Row.builder().data(data).build();
    }

    static GetQueryResultsResponse page(List<ColumnInfo> columns, Row... rows) {
        return GetQueryResultsResponse.builder().resultSet(ResultSet.builder()
                .resultSetMetadata(ResultSetMetadata.builder().columnInfo(columns).build())
                .rows(rows).build()).build();
    }
}
