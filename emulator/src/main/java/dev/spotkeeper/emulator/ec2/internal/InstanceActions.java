package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.io.ShippedMarket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RunInstances, DescribeInstances, TerminateInstances, CreateTags, DeleteTags, GetConsoleOutput. */
final class InstanceActions {
    private static final Set<String> FILTERS = Set.of("instance-state-name", "instance-id", "instance-type",
            "availability-zone", "instance-lifecycle", "tag-key", "spot-instance-request-id", "image-id");
    private static final int CONSOLE_LIMIT = 64 * 1024;

    private final Ec2Backend backend;
    private final InstanceCatalog catalog = ShippedMarket.catalog();
    /**
     * RunInstances by region and ClientToken: a repeated token answers with the reservation it first made, as
     * EC2 does ("Ensuring idempotency in Amazon EC2 API requests"); tokens are per region there too.
     */
    private final Map<String, TokenUse> byClientToken = new HashMap<>();

    /** What one client token launched, and the request that did it. */
    private record TokenUse(String reservationId, List<String> instanceIds, Map<String, String> request) {
    }

    InstanceActions(Ec2Backend backend) {
        this.backend = backend;
    }

    /** The request's own parameters merged over its launch template's data. */
    LaunchSpec spec(QueryParams request, String region) {
        QueryParams lt = request.sub("LaunchTemplate");
        String templateId = null;
        QueryParams merged = request;
        if (!lt.isEmpty()) {
            LaunchTemplates.Template t = backend.templates().require(lt.get("LaunchTemplateId").orElse(null),
                    lt.get("LaunchTemplateName").orElse(null));
            templateId = t.id();
            merged = LaunchSpecs.merge(LaunchTemplates.version(t, lt.get("Version").orElse(null)), request);
        }
        return LaunchSpecs.read(merged, region, catalog, templateId);
    }

    String runInstances(Call c) {
        String token = c.params().get("ClientToken").orElse("");
        if (token.isEmpty()) {
            List<EmulatedInstance> launched = launch(c);
            return reservation(c, launched.get(0).reservationId, launched);
        }
        // One token at a time: two concurrent retries of one launch must not both create an instance.
        synchronized (byClientToken) {
            Map<String, String> request = new HashMap<>(c.params().asMap());
            request.keySet().removeAll(Set.of("Action", "Version"));
            String key = c.region() + "/" + token;
            TokenUse used = byClientToken.get(key);
            if (used != null) {
                if (!used.request().equals(request)) {
                    throw Ec2Error.client("IdempotentParameterMismatch", "The client token '" + token
                            + "' was already used with different parameters.");
                }
                List<EmulatedInstance> earlier = new ArrayList<>();
                used.instanceIds().forEach(id -> backend.find(id).ifPresent(earlier::add));
                return reservation(c, used.reservationId(), earlier);
            }
            List<EmulatedInstance> launched = launch(c);
            byClientToken.put(key, new TokenUse(launched.get(0).reservationId,
                    launched.stream().map(i -> i.id).toList(), request));
            return reservation(c, launched.get(0).reservationId, launched);
        }
    }

    private List<EmulatedInstance> launch(Call c) {
        QueryParams p = c.params();
        int min = p.integer("MinCount", -1);
        int max = p.integer("MaxCount", -1);
        if (min < 0) {
            throw Ec2Error.missing("MinCount");
        }
        if (max < 0) {
            throw Ec2Error.missing("MaxCount");
        }
        if (min < 1 || max < min) {
            throw Ec2Error.invalid("MinCount must be at least 1 and MaxCount at least MinCount; got MinCount="
                    + min + ", MaxCount=" + max + ".");
        }
        LaunchSpec spec = spec(p, c.region());
        String reservationId = backend.newId("r");
        List<EmulatedInstance> launched = backend.launch(spec, max, reservationId);
        Map<String, String> requestTags = LaunchSpecs.tags(p, "spot-instances-request");
        for (EmulatedInstance i : launched) {
            if (i.spotRequestId != null) {
                backend.spotRequest(i.spotRequestId).ifPresent(r -> requestTags.forEach((k, v) -> tagOf(r.id, k, v, true)));
            }
        }
        return launched;
    }

    /** The RunInstances answer; for a repeated client token, the instances as they are now, as EC2 shows them. */
    private static String reservation(Call c, String reservationId, List<EmulatedInstance> instances) {
        Xml x = c.response().el("reservationId", reservationId).el("ownerId", Lifecycle.ACCOUNT_ID)
                .empty("groupSet").open("instancesSet");
        for (EmulatedInstance i : instances) {
            InstanceXml.write(x, i);
        }
        return x.finish();
    }

    String describeInstances(Call c) {
        List<EmulatedInstance> selected = select(c.params().list("InstanceId"));
        Map<String, List<String>> filters = c.params().filters();
        for (String name : filters.keySet()) {
            if (!FILTERS.contains(name) && !name.startsWith("tag:")) {
                throw Ec2Error.invalid("The filter '" + name + "' is invalid; the emulator supports "
                        + String.join(", ", FILTERS) + " and tag:KEY.");
            }
        }
        selected.removeIf(i -> !matches(i, filters));
        Page<EmulatedInstance> page = Page.of(selected, c.params(), 1000);
        Map<String, List<EmulatedInstance>> reservations = new LinkedHashMap<>();
        for (EmulatedInstance i : page.items()) {
            reservations.computeIfAbsent(i.reservationId, r -> new ArrayList<>()).add(i);
        }
        Xml x = c.response().open("reservationSet");
        for (Map.Entry<String, List<EmulatedInstance>> r : reservations.entrySet()) {
            x.open("item").el("reservationId", r.getKey()).el("ownerId", Lifecycle.ACCOUNT_ID).empty("groupSet")
                    .open("instancesSet");
            r.getValue().forEach(i -> InstanceXml.write(x, i));
            x.close().close();
        }
        x.close().el("nextToken", page.nextToken());
        return x.finish();
    }

    private static boolean matches(EmulatedInstance i, Map<String, List<String>> f) {
        Map<String, String> tags = i.tags();
        for (String name : f.keySet()) {
            if (name.startsWith("tag:") && !Filters.matches(f, name, tags.get(name.substring(4)))) {
                return false;
            }
        }
        boolean tagKey = !f.containsKey("tag-key") || tags.keySet().stream().anyMatch(k -> Filters.matches(f, "tag-key", k));
        return tagKey && Filters.matches(f, "instance-state-name", i.state().awsName())
                && Filters.matches(f, "instance-id", i.id) && Filters.matches(f, "instance-type", i.instanceType())
                && Filters.matches(f, "availability-zone", i.zone.name())
                && Filters.matches(f, "image-id", i.spec.imageId())
                && Filters.matches(f, "spot-instance-request-id", i.spotRequestId)
                && Filters.matches(f, "instance-lifecycle", i.spot() ? "spot" : null);
    }

    /** The instances named (all when none is), or InvalidInstanceID.NotFound naming the unknown ones. */
    private List<EmulatedInstance> select(List<String> ids) {
        if (ids.isEmpty()) {
            return backend.all();
        }
        List<EmulatedInstance> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids) {
            if (!id.matches("i-[0-9a-f]{8,17}")) {
                throw Ec2Error.client("InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\" (expecting \"i-...\")");
            }
            backend.find(id).ifPresentOrElse(out::add, () -> unknown.add(id));
        }
        if (!unknown.isEmpty()) {
            throw Ec2Error.client("InvalidInstanceID.NotFound", "The instance ID" + (unknown.size() > 1 ? "s '" : " '")
                    + String.join(", ", unknown) + (unknown.size() > 1 ? "' do not exist" : "' does not exist"));
        }
        return out;
    }

    String terminateInstances(Call c) {
        List<String> ids = c.params().list("InstanceId");
        if (ids.isEmpty()) {
            throw Ec2Error.missing("InstanceId");
        }
        List<EmulatedInstance> selected = select(ids);
        Xml x = c.response().open("instancesSet");
        for (EmulatedInstance i : selected) {
            InstanceState before = i.state();
            backend.terminateByUser(i);
            x.open("item").el("instanceId", i.id);
            InstanceXml.state(x, "currentState", i.state());
            InstanceXml.state(x, "previousState", before);
            x.close();
        }
        return x.finish();
    }

    String createTags(Call c) {
        List<String> resources = resources(c.params());
        Map<String, String> tags = LaunchSpecs.tagList(c.params(), "Tag");
        if (tags.isEmpty()) {
            throw Ec2Error.missing("Tag");
        }
        for (String id : resources) {
            tags.forEach((k, v) -> tagOf(id, k, v, true));
        }
        return c.response().el("return", true).finish();
    }

    String deleteTags(Call c) {
        List<String> resources = resources(c.params());
        List<QueryParams> tags = c.params().structs("Tag");
        for (String id : resources) {
            if (tags.isEmpty()) {
                backend.find(id).ifPresent(i -> i.tags().keySet().forEach(k -> i.untag(k, null)));
            }
            for (QueryParams t : tags) {
                tagOf(id, t.require("Key"), t.asMap().get("Value"), false);
            }
        }
        return c.response().el("return", true).finish();
    }

    private List<String> resources(QueryParams p) {
        List<String> resources = p.list("ResourceId");
        if (resources.isEmpty()) {
            throw Ec2Error.missing("ResourceId");
        }
        for (String id : resources) {
            if (id.startsWith("i-")) {
                select(List.of(id));
            } else if (id.startsWith("eipalloc-")) {
                if (!backend.addresses().exists(id)) {
                    throw Ec2Error.client("InvalidAllocationID.NotFound", "The allocation ID '" + id
                            + "' does not exist");
                }
            } else if (!id.startsWith("sir-") || backend.spotRequest(id).isEmpty()) {
                throw Ec2Error.client("InvalidID", "The ID '" + id + "' is not valid: the emulator tags instances "
                        + "(i-…), spot instance requests (sir-…) and Elastic IP allocations (eipalloc-…).");
            }
        }
        return resources;
    }

    private void tagOf(String id, String key, String value, boolean add) {
        if (id.startsWith("eipalloc-")) {
            backend.addresses().tag(id, key, value, add);
            return;
        }
        if (id.startsWith("i-")) {
            EmulatedInstance i = backend.find(id).orElseThrow();
            if (add) {
                i.tag(key, value);
            } else {
                i.untag(key, value);
            }
            return;
        }
        SpotRequest r = backend.spotRequest(id).orElseThrow();
        synchronized (r) {
            if (add) {
                r.tags.put(key, value);
            } else if (value == null || value.equals(r.tags.get(key))) {
                r.tags.remove(key);
            }
        }
    }

    String getConsoleOutput(Call c) {
        String id = c.params().require("InstanceId");
        EmulatedInstance i = select(List.of(id)).get(0);
        String console = InstanceProcess.console(i.workDirectory);
        byte[] bytes = console.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > CONSOLE_LIMIT) {
            bytes = java.util.Arrays.copyOfRange(bytes, bytes.length - CONSOLE_LIMIT, bytes.length);
        }
        Xml x = c.response().el("instanceId", i.id).el("timestamp", backend.timers().now());
        if (bytes.length > 0) {
            x.el("output", Base64.getEncoder().encodeToString(bytes));
        }
        return x.finish();
    }
}
