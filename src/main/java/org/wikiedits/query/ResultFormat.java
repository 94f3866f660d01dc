package org.wikiedits.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** How a query result is printed ({@code --format table|csv|json}): by the query command, and by the sandbox's child process. */
public final class ResultFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultFormat() {
    }

    public static void print(NamedQueries.Result result, String format, PrintStream out) {
        out.print(switch (format) {
            case "csv" -> csv(result);
            case "json" -> json(result);
            default -> table(result);
        });
        out.flush();
    }

    /** Columns padded to their widest value, numbers right-aligned, NULL shown as empty; a row count at the end. */
    static String table(NamedQueries.Result result) {
        int n = result.columns().size();
        int[] widths = new int[n];
        boolean[] numeric = new boolean[n];
        List<String[]> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            widths[c] = result.columns().get(c).length();
            numeric[c] = true;
        }
        for (List<Object> row : result.rows()) {
            String[] texts = new String[n];
            for (int c = 0; c < n; c++) {
                Object value = row.get(c);
                texts[c] = text(value);
                widths[c] = Math.max(widths[c], texts[c].codePointCount(0, texts[c].length()));
                numeric[c] &= value == null || value instanceof Number;
            }
            cells.add(texts);
        }
        StringBuilder out = new StringBuilder();
        appendTableRow(out, result.columns().toArray(String[]::new), widths, new boolean[n]);
        for (int c = 0; c < n; c++) {
            out.append(c > 0 ? "-+-" : "").append("-".repeat(widths[c]));
        }
        out.append('\n');
        cells.forEach(texts -> appendTableRow(out, texts, widths, numeric));
        out.append('(').append(result.rows().size()).append(result.rows().size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    private static void appendTableRow(StringBuilder out, String[] texts, int[] widths, boolean[] rightAligned) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < texts.length; c++) {
            String pad = " ".repeat(widths[c] - texts[c].codePointCount(0, texts[c].length()));
            line.append(c > 0 ? " | " : "").append(rightAligned[c] ? pad + texts[c] : texts[c] + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** RFC 4180 with a header line; line breaks inside values are quoted (the lake has none anyway). */
    static String csv(NamedQueries.Result result) {
        StringBuilder out = new StringBuilder();
        appendCsvRow(out, new ArrayList<>(result.columns()));
        result.rows().forEach(row -> appendCsvRow(out, row));
        return out.toString();
    }

    private static void appendCsvRow(StringBuilder out, List<?> values) {
        for (int c = 0; c < values.size(); c++) {
            String value = values.get(c) == null ? "" : text(values.get(c));
            boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0;
            out.append(c > 0 ? "," : "").append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
        }
        out.append('\n');
    }

    /** A JSON array of objects, one per row, in column order; numbers and booleans typed, NULL as null. */
    static String json(NamedQueries.Result result) {
        ArrayNode rows = JSON.createArrayNode();
        for (List<Object> row : result.rows()) {
            ObjectNode object = rows.addObject();
            for (int c = 0; c < result.columns().size(); c++) {
                Object value = row.get(c);
                String name = result.columns().get(c);
                if (value == null) {
                    object.putNull(name);
                } else if (value instanceof Long l) {
                    object.put(name, l);
                } else if (value instanceof Integer i) {
                    object.put(name, i);
                } else if (value instanceof Double d) {
                    object.put(name, d);
                } else if (value instanceof BigDecimal b) {
                    object.put(name, b);
                } else if (value instanceof Number number) {
                    object.put(name, new BigDecimal(number.toString()));
                } else if (value instanceof Boolean b) {
                    object.put(name, b);
                } else {
                    object.put(name, text(value));
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        return value.toString();
    }
}
