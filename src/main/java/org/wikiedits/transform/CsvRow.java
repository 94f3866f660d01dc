package org.wikiedits.transform;

/**
 * Formats an event as one lake row: RFC 4180, fields in {@link LakeColumn} order, an absent value
 * as an empty field (so an empty string is absent too), terminated by a single {@code \n}. CR and
 * LF inside values become spaces because Athena's OpenCSVSerde, Hive and Spark split records on
 * newlines even inside quotes. Fields with a comma or a quote are quoted, quotes doubled; nothing
 * else is escaped (a backslash is data). U+0000 becomes U+FFFD: the Glue table uses it as its
 * "no escape character" (see {@code LakeSql.glueSerdeParameters()}), so it must never be data.
 */
public final class CsvRow {

    private CsvRow() {
    }

    /** The row for {@code rc}, ending in {@code \n}. */
    public static String of(RecentChange rc) {
        StringBuilder line = new StringBuilder(512);
        for (LakeColumn column : LakeColumn.values()) {
            if (column.ordinal() > 0) {
                line.append(',');
            }
            appendField(line, column.valueOf(rc));
        }
        return line.append('\n').toString();
    }

    static void appendField(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        String clean = value.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\u0000', '\uFFFD');
        if (clean.indexOf(',') >= 0 || clean.indexOf('"') >= 0) {
            line.append('"').append(clean.replace("\"", "\"\"")).append('"');
        } else {
            line.append(clean);
        }
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
