package dev.spotkeeper.emulator.spi;

import java.util.Map;

/**
 * Launches EC2 instances as another AWS service does (Auto Scaling): the parameters of {@code RunInstances}
 * (launch template, type, zone or subnet, market options) go through the same checks as the API's, and the
 * service may set the tags reserved to AWS ({@code aws:autoscaling:groupName}), which the API refuses.
 */
public interface InstanceLauncher {
    /**
     * Launches one instance and returns its id.
     *
     * @param runInstances the query parameters of a {@code RunInstances} request, without MinCount/MaxCount
     * @param awsTags      tags whose keys may begin with {@code aws:}
     * @throws LaunchRefused with EC2's error code when EC2 refuses the launch
     */
    String launch(String region, Map<String, String> runInstances, Map<String, String> awsTags);

    /** EC2 refused a launch: its error code ({@code InsufficientInstanceCapacity}, …) and message. */
    final class LaunchRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        public LaunchRefused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
