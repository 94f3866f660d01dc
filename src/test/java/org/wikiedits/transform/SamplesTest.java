package org.wikiedits.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.Samples;

/**
 * Every real recorded event in {@code ../shared/samples/*.ndjson} (relative to the project root,
 * as CI lays it out) reads, and its lake row parses with a real RFC 4180 reader (DuckDB's, strict)
 * into 20 fields, the first being its meta.id, none containing CR or LF.
 */
class SamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> lines = new ArrayList<>();
    private static final List<String> metaIds = new ArrayList<>();

    @BeforeAll
    static void loadSamples() throws IOException {
        for (String line : Samples.lines()) { // skips the class without them, fails in CI
            lines.add(line);
            // meta.id read independently of the code under test
            metaIds.add(JSON.readTree(line).path("meta").path("id").asText());
        }
    }

    @Test
    void everySampleEventReads() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                RecentChangeReader.read(lines.get(i));
            } catch (MalformedEventException e) {
                failures.add(metaIds.get(i) + ": " + e.getMessage());
            }
        }

        assertThat(lines).isNotEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void everySampleRowParsesAsTwentyFieldsStartingWithItsMetaIdWithoutLineBreaks(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("samples.csv");
        StringBuilder rows = new StringBuilder();
        for (String line : lines) {
            rows.append(CsvRow.of(RecentChangeReader.read(line)));
        }
        Files.writeString(csv, rows, StandardCharsets.UTF_8);

        List<List<String>> records = readStrictRfc4180(csv, LakeColumn.values().length);

        assertThat(records).hasSize(lines.size());
        for (int i = 0; i < records.size(); i++) {
            List<String> record = records.get(i);
            assertThat(record).as("row %d", i).hasSize(20);
            assertThat(record.get(0)).as("row %d", i).isEqualTo(metaIds.get(i));
            assertThat(record).as("row %d", i).allSatisfy(field ->
                    assertThat(field == null ? "" : field).doesNotContain("\r").doesNotContain("\n"));
        }
    }

    @Test
    void everySampleDocumentUsesOnlyContractFields() throws Exception {
        for (String line : lines) {
            List<String> fields = new ArrayList<>();
            JSON.readTree(SearchDocument.toJson(RecentChangeReader.read(line))).fieldNames().forEachRemaining(fields::add);

            assertThat(SearchDocumentTest.CONTRACT_FIELDS).containsAll(fields);
        }
    }

    /** DuckDB's CSV reader in strict RFC 4180 mode: a record with another number of fields is an error. */
    static List<List<String>> readStrictRfc4180(Path csv, int columns) throws Exception {
        StringBuilder columnSpec = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
            columnSpec.append(i > 1 ? ", " : "").append("'c").append(i).append("': 'VARCHAR'");
        }
        String sql = "SELECT * FROM read_csv('" + csv.toString().replace("'", "''") + "', header=false, auto_detect=false,"
                + " delim=',', quote='\"', escape='\"', new_line='\\n', strict_mode=true, null_padding=false,"
                + " columns={" + columnSpec + "})";
        Properties noDownloads = new Properties();
        noDownloads.setProperty("autoinstall_known_extensions", "false");
        noDownloads.setProperty("autoload_known_extensions", "false");
        List<List<String>> records = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", noDownloads);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            int count = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> record = new ArrayList<>(count);
                for (int c = 1; c <= count; c++) {
                    record.add(rs.getString(c));
                }
                records.add(record);
            }
        }
        return records;
    }
}
