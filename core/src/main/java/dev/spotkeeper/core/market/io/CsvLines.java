package dev.spotkeeper.core.market.io;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Splits simple CSV (no quoted commas) and reads typed fields with errors that name file, line and column. */
final class CsvLines {
    private final String file;
    private final Map<String, Integer> header = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private String[] fields;
    private int line;

    CsvLines(String file, String headerLine, List<String> required) {
        this.file = file;
        String[] names = split(headerLine);
        for (int i = 0; i < names.length; i++) {
            header.put(names[i].trim(), i);
        }
        List<String> missing = new ArrayList<>();
        for (String r : required) {
            if (!header.containsKey(r)) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 1, "missing column(s) " + String.join(", ", missing)
                    + "; the header must name " + String.join(",", required));
        }
    }

    static String[] split(String line) {
        return line.split(",", -1);
    }

    void next(int lineNumber, String text) {
        this.line = lineNumber;
        this.fields = split(text);
        if (fields.length < header.size()) {
            throw SpotkeeperException.malformedFile(file, line,
                    "expected " + header.size() + " fields but found " + fields.length);
        }
    }

    boolean has(String column) {
        Integer i = header.get(column);
        return i != null && !fields[i].isBlank();
    }

    String text(String column) {
        Integer i = header.get(column);
        return i == null ? "" : fields[i].trim();
    }

    String required(String column) {
        String s = text(column);
        if (s.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, line, "column " + column + " is empty");
        }
        return s;
    }

    double number(String column) {
        String s = required(column);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw SpotkeeperException.malformedFile(file, line,
                    "column " + column + " should be a number but is '" + s + "'");
        }
    }

    int integer(String column) {
        String s = required(column);
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw SpotkeeperException.malformedFile(file, line,
                    "column " + column + " should be a whole number but is '" + s + "'");
        }
    }

    SpotkeeperException error(String problem) {
        return SpotkeeperException.malformedFile(file, line, problem);
    }
}
