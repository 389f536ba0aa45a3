package dev.spotkeeper.emulator.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Receives the events AWS would emit to EventBridge (spot interruption warning, rebalance recommendation,
 * state-change notification); the emulator's delivery puts them on the configured SQS queue in EventBridge's
 * exact JSON.
 */
public interface CloudEventSink {
    void publish(String source, String detailType, String region, Instant time, List<String> resources,
                 Map<String, Object> detail);

    CloudEventSink NONE = (source, detailType, region, time, resources, detail) -> { };
}
