package dev.spotkeeper.emulator.spi;

/**
 * Invokes a Lambda function of the emulator asynchronously (invocation type {@code Event}), as EventBridge does for
 * a rule's Lambda target; provided by the emulator's Lambda runtime, looked up by event delivery when it delivers.
 */
public interface FunctionInvoker {
    /** @return false when no function has that ARN or name */
    boolean invokeAsync(String functionArn, String payload);
}
