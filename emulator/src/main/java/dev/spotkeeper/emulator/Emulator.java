package dev.spotkeeper.emulator;

import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local AWS emulator: one edge endpoint on 127.0.0.1 and the components behind it. A library (tests and
 * {@code spotkeeper run} start it in-process) and the engine of {@code spotkeeper emulator start}.
 */
public final class Emulator implements AutoCloseable {
    private final EdgeServer edge;
    private final List<EmulatorComponent> components;
    private final List<EmulatorComponent> started = new ArrayList<>();
    private final Context context;

    private Emulator(EdgeServer edge, List<EmulatorComponent> components, Context context) {
        this.edge = edge;
        this.components = components;
        this.context = context;
    }

    /** Starts the edge and then each component in order; on failure stops what had started. */
    public static Emulator start(int port, Clock clock, long seed, double timeScale, Path workDirectory,
                                 List<EmulatorComponent> components) throws Exception {
        EdgeServer edge = new EdgeServer(port);
        Context context = new Context(edge, clock, seed, timeScale, workDirectory);
        Emulator emulator = new Emulator(edge, List.copyOf(components), context);
        edge.start();
        try {
            for (EmulatorComponent c : emulator.components) {
                c.start(context);
                emulator.started.add(c);
            }
        } catch (Exception e) {
            emulator.close();
            throw e;
        }
        return emulator;
    }

    public URI endpoint() {
        return edge.endpoint();
    }

    public <T> Optional<T> lookup(Class<T> type) {
        return context.lookup(type);
    }

    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (EmulatorComponent c : started) {
            lines.addAll(c.describe());
        }
        return lines;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (RuntimeException ignored) {
                // keep stopping the others: a half-stopped emulator leaks processes and ports
            }
        }
        started.clear();
        edge.close();
    }

    private static final class Context implements EmulatorContext {
        private final EdgeServer edge;
        private final Clock clock;
        private final long seed;
        private final double timeScale;
        private final Path workDirectory;
        private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

        Context(EdgeServer edge, Clock clock, long seed, double timeScale, Path workDirectory) {
            this.edge = edge;
            this.clock = clock;
            this.seed = seed;
            this.timeScale = timeScale;
            this.workDirectory = workDirectory;
        }

        @Override
        public URI endpoint() {
            return edge.endpoint();
        }

        @Override
        public void register(ServiceHandler handler) {
            edge.register(handler);
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public long seed() {
            return seed;
        }

        @Override
        public double timeScale() {
            return timeScale;
        }

        @Override
        public Path workDirectory() {
            return workDirectory;
        }

        @Override
        public <T> void provide(Class<T> type, T service) {
            services.put(type, service);
        }

        @Override
        public <T> Optional<T> lookup(Class<T> type) {
            return Optional.ofNullable(type.cast(services.get(type)));
        }
    }
}
