package dev.spotkeeper.agent.imds;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.StartGate;
import dev.spotkeeper.agent.checkpoint.CheckpointStore;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.protocol.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The start signal read from the instance's tags in IMDS ({@code /latest/meta-data/tags/instance/spotkeeper:start}),
 * polled every second as the evacuate tag is. When instance metadata tags are off there is no way to be told, and the
 * agent starts at once (saying so): launch templates made by spotkeeper always enable them.
 */
public final class ImdsStartGate implements StartGate {
    private static final Logger LOG = Logger.getLogger(ImdsStartGate.class.getName());
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration SAY_EVERY = Duration.ofSeconds(30);

    private final ImdsClient imds;
    private final Clock clock;
    private final Duration poll;

    public ImdsStartGate(ImdsClient imds, Clock clock) {
        this(imds, clock, POLL);
    }

    ImdsStartGate(ImdsClient imds, Clock clock, Duration poll) {
        this.imds = requireNonNull(imds, "imds is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.poll = requireNonNull(poll, "poll is null");
    }

    @Override
    public Optional<String> now() {
        Optional<String> tag = imds.metadata("tags/instance/" + Tags.START).map(String::trim).filter(s -> !s.isEmpty());
        if (tag.isPresent()) {
            return tag;
        }
        if (imds.metadata("tags/instance").isEmpty()) {
            LOG.warning("instance metadata tags are not enabled, so the controller cannot say when to start: starting"
                    + " the job now from the newest complete checkpoint");
            return Optional.of(CheckpointStore.NEWEST);
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> await(BooleanSupplier abandon) {
        Instant sayAt = clock.instant();
        while (!abandon.getAsBoolean()) {
            try {
                Optional<String> from = now();
                if (from.isPresent()) {
                    return from;
                }
            } catch (SpotkeeperException e) {
                LOG.log(Level.WARNING, "instance metadata poll failed (retrying): {0}", e.getMessage());
            }
            if (!clock.instant().isBefore(sayAt)) {
                LOG.info("waiting for the controller's start signal (tag " + Tags.START + "): the instance this one replaces"
                        + " is still committing its checkpoint");
                sayAt = clock.instant().plus(SAY_EVERY);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
