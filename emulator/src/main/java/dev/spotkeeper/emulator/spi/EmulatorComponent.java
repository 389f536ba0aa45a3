package dev.spotkeeper.emulator.spi;

/**
 * A part of the emulator (EC2 and its market, FIS, the embedded S3/SQS/DynamoDB servers, event delivery).
 * Components start in the order they were added and stop in reverse order.
 */
public interface EmulatorComponent extends AutoCloseable {
    void start(EmulatorContext context) throws Exception;

    /** Ready-to-paste settings lines for users (endpoints, queue URLs), printed by {@code emulator start}. */
    default java.util.List<String> describe() {
        return java.util.List.of();
    }

    @Override
    void close();
}
