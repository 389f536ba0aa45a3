package dev.spotkeeper.emulator.spi;

import java.util.Map;

/**
 * Provisions resources of a CloudFormation stack that another emulator part serves (EventBridge rules, Lambda
 * functions and what belongs to them): the emulator's CloudFormation calls the provider found in the context for a
 * type it {@link #provides}, and keeps every other resource it has no service for as a record that
 * {@code DescribeStackResources} returns.
 */
public interface StackResourceProvider {
    /** What a provisioned resource is called ({@code Ref}) and its attributes ({@code Fn::GetAtt}). */
    record Provisioned(String physicalId, Map<String, String> attributes) {
        public Provisioned {
            java.util.Objects.requireNonNull(physicalId, "physicalId is null");
            attributes = Map.copyOf(attributes);
        }
    }

    /** One resource to create or update: its stack, logical id, type and properties with every intrinsic resolved. */
    record Request(String region, String account, String stackName, String logicalId, String type,
                   Map<String, Object> properties) {
        public Request {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        }
    }

    boolean provides(String type);

    /**
     * Creates the resource.
     *
     * @throws RuntimeException whose message is the reason CloudFormation reports on the failed resource
     */
    Provisioned create(Request request);

    /** Updates it in place; by default a new one replaces it (the stack deletes the old one afterwards). */
    default Provisioned update(Request request, Provisioned current) {
        return create(request);
    }

    void delete(Request request, Provisioned current);
}
