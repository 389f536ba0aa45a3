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

    /**
     * The provider that serves what {@code first} provides, and the rest through {@code second}: each emulator part
     * adds its own to the one already in the context, so that CloudFormation finds every part's types.
     */
    static StackResourceProvider either(StackResourceProvider first, StackResourceProvider second) {
        java.util.Objects.requireNonNull(first, "first is null");
        java.util.Objects.requireNonNull(second, "second is null");
        return new StackResourceProvider() {
            private StackResourceProvider of(String type) {
                return first.provides(type) ? first : second;
            }

            @Override
            public boolean provides(String type) {
                return first.provides(type) || second.provides(type);
            }

            @Override
            public Provisioned create(Request request) {
                return of(request.type()).create(request);
            }

            @Override
            public Provisioned update(Request request, Provisioned current) {
                return of(request.type()).update(request, current);
            }

            @Override
            public void delete(Request request, Provisioned current) {
                of(request.type()).delete(request, current);
            }
        };
    }

    /** Adds {@code provider} to those already published in {@code context}. */
    static void register(EmulatorContext context, StackResourceProvider provider) {
        context.provide(StackResourceProvider.class, context.lookup(StackResourceProvider.class)
                .map(p -> either(provider, p)).orElse(provider));
    }

    /**
     * The name the template gives in {@code property}, or one generated as CloudFormation does,
     * {@code stack-LogicalId-SUFFIX} (12 upper-case letters and digits), at most {@code max} characters.
     */
    static String physicalName(Request request, String property, int max, java.util.Random random) {
        Object given = request.properties().get(property);
        if (given instanceof String s && !s.isBlank()) {
            return s;
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder suffix = new StringBuilder(12);
        synchronized (random) {
            for (int i = 0; i < 12; i++) {
                suffix.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        String base = request.stackName() + "-" + request.logicalId();
        int room = max - suffix.length() - 1;
        return (base.length() > room ? base.substring(0, room) : base) + "-" + suffix;
    }
}
