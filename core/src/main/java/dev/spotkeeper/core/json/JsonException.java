package dev.spotkeeper.core.json;

/** A JSON text that could not be parsed; {@link #line()} and {@link #column()} are 1-based. */
public final class JsonException extends RuntimeException {
    private final int line;
    private final int column;

    JsonException(String problem, int line, int column) {
        super("line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
