package dev.spotkeeper.testkit.load;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load: GET requests to one address at a fixed rate for a bounded time, each sent when its slot
 * comes whether or not earlier ones have answered (so a slow or failing server cannot slow the load down and hide
 * its failures), each recorded with its start, latency and outcome. JDK {@link HttpClient} only; the tests and
 * {@code spotkeeper bench fleet} share it.
 */
public final class SteadyLoad implements AutoCloseable {
    /** How one request ended. */
    public enum Outcome {
        /** An answer below 400. */
        OK,
        /** An answer 400–499. */
        CLIENT_ERROR,
        /** An answer 500–599 (the load balancer's 502/503/504 among them). */
        SERVER_ERROR,
        /** No whole answer: refused, reset, closed before the end of the body, or no connection in time. */
        CONNECTION_ERROR,
        /** Connected, but no whole answer within the request timeout. */
        TIMEOUT;

        public boolean failed() {
            return this != OK;
        }
    }

    /** One request: when it was sent (the load's clock), how long until it ended, how, and the status or error. */
    public record Sample(Instant start, Duration latency, Outcome outcome, int status, String detail) {
        public Sample {
            requireNonNull(start, "start is null");
            requireNonNull(latency, "latency is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(detail, "detail is null");
        }
    }

    private final URI target;
    private final double perSecond;
    private final Duration duration;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient client;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private final Thread dispatcher;
    private volatile boolean stopped;
    private int pending;
    private boolean dispatching = true;
    private long issued;

    private SteadyLoad(URI target, double perSecond, Duration duration, Duration timeout, Clock clock) {
        this.target = requireNonNull(target, "target is null");
        this.duration = requireNonNull(duration, "duration is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (!(perSecond > 0 && perSecond <= 10_000)) {
            throw new IllegalArgumentException("rate must be in (0, 10000] requests per second but is " + perSecond);
        }
        if (duration.isNegative() || duration.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("duration and timeout must be positive");
        }
        this.perSecond = perSecond;
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "steady-load-client");
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
        dispatcher = new Thread(this::dispatch, "steady-load-dispatcher");
        dispatcher.setDaemon(true);
    }

    /** Starts sending {@code perSecond} GETs a second to {@code target} for {@code duration}, on the system clock. */
    public static SteadyLoad start(URI target, double perSecond, Duration duration, Duration timeout) {
        return start(target, perSecond, duration, timeout, Clock.systemUTC());
    }

    /** As {@link #start(URI, double, Duration, Duration)}, with the samples' start times read from {@code clock}. */
    public static SteadyLoad start(URI target, double perSecond, Duration duration, Duration timeout, Clock clock) {
        SteadyLoad load = new SteadyLoad(target, perSecond, duration, timeout, clock);
        load.dispatcher.start();
        return load;
    }

    private void dispatch() {
        long period = Math.round(1e9 / perSecond);
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        try {
            for (long i = 0; !stopped; i++) {
                long slot = t0 + i * period;
                if (slot >= end) {
                    break;
                }
                // Waiting for the request's slot is the schedule itself, not a stand-in for synchronisation.
                for (long wait = slot - System.nanoTime(); wait > 0 && !stopped; wait = slot - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                if (!stopped) {
                    send();
                }
            }
        } finally {
            synchronized (lock) {
                dispatching = false;
                lock.notifyAll();
            }
        }
    }

    private void send() {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        Instant start = clock.instant();
        long t = System.nanoTime();
        synchronized (lock) {
            pending++;
            issued++;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - t);
            samples.add(error == null ? answered(start, latency, response.statusCode())
                    : failed(start, latency, error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error));
            synchronized (lock) {
                pending--;
                lock.notifyAll();
            }
        });
    }

    private static Sample answered(Instant start, Duration latency, int status) {
        Outcome outcome = status >= 500 ? Outcome.SERVER_ERROR : status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK;
        return new Sample(start, latency, outcome, status, outcome == Outcome.OK ? "" : "HTTP " + status);
    }

    static Sample failed(Instant start, Duration latency, Throwable error) {
        // A connect timeout is a timeout too, but it says no connection was had: a connection error.
        Outcome outcome = error instanceof HttpTimeoutException && !(error instanceof HttpConnectTimeoutException)
                ? Outcome.TIMEOUT : Outcome.CONNECTION_ERROR;
        return new Sample(start, latency, outcome, 0, error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()));
    }

    /** Stops sending new requests (those in flight still end and are recorded). */
    public void stop() {
        stopped = true;
        LockSupport.unpark(dispatcher);
    }

    /**
     * Waits until the load has sent its last request and every request has ended, at most {@code max}.
     *
     * @return whether it ended within {@code max}
     */
    public boolean awaitEnd(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            for (long left = max.toNanos(); dispatching || pending > 0; left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Whether it has sent its last request and every request has ended. */
    public boolean ended() {
        synchronized (lock) {
            return !dispatching && pending == 0;
        }
    }

    /** The requests sent so far (some may not have ended yet). */
    public long issued() {
        synchronized (lock) {
            return issued;
        }
    }

    /** The requests that have ended, by start time. */
    public List<Sample> samples() {
        List<Sample> all = new ArrayList<>(samples);
        all.sort(Comparator.comparing(Sample::start));
        return all;
    }

    /** The ended requests that did not get an answer below 400. */
    public List<Sample> failures() {
        return samples().stream().filter(s -> s.outcome().failed()).toList();
    }

    /** Every ended request. */
    public LoadSummary summary() {
        return LoadSummary.of(samples(), Instant.MIN, Instant.MAX);
    }

    /** The ended requests sent in [{@code from}, {@code to}). */
    public LoadSummary summary(Instant from, Instant to) {
        return LoadSummary.of(samples(), from, to);
    }

    public URI target() {
        return target;
    }

    public double perSecond() {
        return perSecond;
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }
}
