package dev.spotkeeper.cli;

import dev.spotkeeper.core.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Every {@link Duration} option of the CLI reads the one duration grammar ({@link Durations}): registered once, on
 * the root command line, for all subcommands ({@link Main#commandLine}). A refusal is a parameter error (exit 2)
 * that names the option: {@code Invalid value for option '--every': must be a duration like 90s, ...}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (Durations.InvalidDuration e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
