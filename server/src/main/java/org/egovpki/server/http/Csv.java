package org.egovpki.server.http;

import java.util.List;

/**
 * RFC 4180 text: CRLF after every record, a field quoted when it holds a comma, a double quote, CR
 * or LF, and a double quote inside doubled. A {@code null} field is empty.
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv; charset=utf-8; header=present";

    private Csv() {
    }

    /** The header record, then each row. */
    static String of(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        record(out, header);
        for (List<String> row : rows) {
            record(out, row);
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private static void record(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 && !NUMBER.matcher(value).matches()) {
            // A spreadsheet would run it as a formula (business types and regions come from applications):
            // kept as text by a leading apostrophe, the OWASP advice for CSV injection.
            value = "'" + value;
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
