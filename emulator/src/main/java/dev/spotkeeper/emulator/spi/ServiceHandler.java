package dev.spotkeeper.emulator.spi;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Serves one AWS service behind the emulator's edge endpoint. The edge routes a request here when the SigV4
 * credential scope names {@link #service()} (as LocalStack's edge port does), so one endpoint URL serves all.
 */
public interface ServiceHandler {
    /** The SigV4 signing name: {@code ec2}, {@code fis}, {@code s3}, {@code sqs}, {@code dynamodb}, … */
    String service();

    /** Must always answer: an AWS-shaped error rather than an exception, and never hang. */
    void handle(HttpExchange exchange) throws IOException;
}
