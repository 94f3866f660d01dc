package org.wikiedits.query.athena;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.wikiedits.query.NamedQueries;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * Collects the pages of one GetQueryResults sequence into a {@link NamedQueries.Result} with the
 * same Java value types the DuckDB side returns, so that {@code query} prints both modes alike:
 * {@code bigint} → Long, {@code integer}/{@code smallint}/{@code tinyint} → Integer, {@code double}
 * → Double, {@code real} → Float, {@code decimal} → BigDecimal, {@code boolean} → Boolean,
 * {@code date} → LocalDate, {@code timestamp} → java.sql.Timestamp, anything else → String.
 * Athena sends every value as text ({@code VarCharValue}); a datum without one is SQL NULL, an
 * empty one is the empty string.
 *
 * <p>For a SELECT, Athena repeats the column labels as the first row of the first page; that row is
 * dropped when it equals the labels. Not thread-safe: one instance per query execution.
 */
public final class AthenaResults {

    private List<String> columns;
    private List<String> types;
    private final List<List<Object>> rows = new ArrayList<>();
    private int pages;

    /** Adds one page, in the order GetQueryResults returned them. */
    public void add(GetQueryResultsResponse page) {
        List<Row> pageRows = page.resultSet() == null ? List.of() : page.resultSet().rows();
        if (pages++ == 0) {
            List<ColumnInfo> info = page.resultSet() == null || page.resultSet().resultSetMetadata() == null
                    ? List.of() : page.resultSet().resultSetMetadata().columnInfo();
            columns = info.stream().map(c -> c.label() != null ? c.label() : c.name()).toList();
            types = info.stream().map(c -> c.type() == null ? "varchar" : c.type().toLowerCase(Locale.ROOT)).toList();
            if (!pageRows.isEmpty() && isHeader(pageRows.get(0))) {
                pageRows = pageRows.subList(1, pageRows.size());
            }
        }
        for (Row row : pageRows) {
            rows.add(typed(row));
        }
    }

    /** Pages added so far. */
    public int pages() {
        return pages;
    }

    /** Everything added so far; column labels and typed rows. */
    public NamedQueries.Result result() {
        return new NamedQueries.Result(columns == null ? List.of() : columns, List.copyOf(rows));
    }

    private boolean isHeader(Row row) {
        List<String> values = row.data().stream().map(Datum::varCharValue).toList();
        return values.equals(columns);
    }

    private List<Object> typed(Row row) {
        if (row.data().size() != columns.size()) {
            throw new IllegalStateException("Athena returned a row of " + row.data().size() + " values for "
                    + columns.size() + " columns " + columns);
        }
        List<Object> values = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            values.add(value(types.get(c), row.data().get(c).varCharValue()));
        }
        return values;
    }

    /** One value of Athena type {@code type} (lower case, possibly with parameters such as {@code decimal(10,2)}). */
    static Object value(String type, String text) {
        if (text == null) {
            return null;
        }
        String base = type.contains("(") ? type.substring(0, type.indexOf('(')).trim() : type;
        try {
            return switch (base) {
                case "bigint" -> Long.valueOf(text);
                case "integer", "int", "smallint", "tinyint" -> Integer.valueOf(text);
                case "double" -> Double.valueOf(text);
                case "real", "float" -> Float.valueOf(text);
                case "decimal" -> new BigDecimal(text);
                case "boolean" -> Boolean.valueOf(text);
                case "date" -> LocalDate.parse(text);
                // Athena prints timestamps as 'yyyy-MM-dd HH:mm:ss.SSS', the form Timestamp.valueOf reads
                case "timestamp" -> Timestamp.valueOf(text);
                default -> text;
            };
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("Athena returned '" + text + "' for a column of type " + type, e);
        }
    }
}
