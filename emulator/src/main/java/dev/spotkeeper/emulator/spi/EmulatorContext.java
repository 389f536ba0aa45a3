package dev.spotkeeper.emulator.spi;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** What a component gets from the emulator: the edge endpoint, time, a work directory and the other components' services. */
public interface EmulatorContext {
    /** The single endpoint URL for every service, {@code http://127.0.0.1:PORT}. */
    URI endpoint();

    void register(ServiceHandler handler);

    Clock clock();

    long seed();

    /** Market hours per wall-clock hour (1 = real time). */
    double timeScale();

    Path workDirectory();

    /** Publishes a service for later components ({@link InstanceControl}, {@link CloudEventSink}, …). */
    <T> void provide(Class<T> type, T service);

    <T> Optional<T> lookup(Class<T> type);
}
