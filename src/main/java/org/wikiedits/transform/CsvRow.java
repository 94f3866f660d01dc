package org.wikiedits.transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * One lake row: the event's values in {@link LakeColumn} order, written in the lake's one CSV
 * format, {@link #FORMAT}. The routes write it with camel-csv's data format built from that format
 * ({@code lakeCsv}); the Firehose Lambda with commons-csv itself ({@link #of}): one definition.
 *
 * <p>An absent value is an empty field (so an empty string is absent too). CR and LF inside values
 * become spaces because Athena's OpenCSVSerde, Hive and Spark split records on newlines even inside
 * quotes. U+0000 becomes U+FFFD: the Glue table uses it as its "no escape character" (see
 * {@code LakeSql.glueSerdeParameters()}), so it must never be data.
 */
public final class CsvRow {

    /**
     * RFC 4180, no header, records ending in {@code \n}, quotes only where needed: around a value with
     * a comma or a quote (doubled), and, as commons-csv's minimal quoting does, around one that starts
     * with a space or {@code #} or ends in a space. Nothing is escaped (a backslash is data).
     */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setRecordSeparator("\n")
            .setQuoteMode(QuoteMode.MINIMAL)
            .get();

    private static final LakeColumn[] COLUMNS = LakeColumn.values();

    private CsvRow() {
    }

    /** The row's values, cleaned, in column order; {@code null} for an absent value. */
    public static List<String> values(RecentChange rc) {
        return new ArrayList<>(namedValues(rc).values());
    }

    /** The same values keyed by {@link LakeColumn#columnName()}, in column order. */
    public static Map<String, String> namedValues(RecentChange rc) {
        Map<String, String> row = new LinkedHashMap<>();
        for (LakeColumn column : COLUMNS) {
            row.put(column.columnName(), clean(column.valueOf(rc)));
        }
        return row;
    }

    /**
     * The row for {@code rc} as CSV text, ending in {@code \n}: each value printed by {@link #FORMAT}
     * itself into one builder, as its {@code CSVPrinter} would (without the printer, its writer and
     * their locks, which were half the time of a lake row).
     */
    public static String of(RecentChange rc) {
        StringBuilder row = new StringBuilder(512);
        try {
            for (LakeColumn column : COLUMNS) {
                FORMAT.print(clean(column.valueOf(rc)), row, column == COLUMNS[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        return row.append('\n').toString();
    }

    static String clean(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\u0000') {
                return value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\u0000', '\uFFFD');
            }
        }
        return value;
    }

    /**
     * The event id of a lake row: its first field, unquoted per RFC 4180 (a {@code meta.id} with a
     * comma or quote is written quoted); {@code null} when a quote is not closed.
     */
    public static String eventIdOf(String row) {
        if (!row.startsWith("\"")) {
            int comma = row.indexOf(',');
            return comma < 0 ? row : row.substring(0, comma);
        }
        StringBuilder field = new StringBuilder();
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c != '"') {
                field.append(c);
            } else if (i + 1 < row.length() && row.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else {
                return field.toString();
            }
        }
        return null;
    }
}
