package dev.spotkeeper.cli.job;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.event.SpotEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code events send} refuses in a hand-written event before it reaches the queue: placeholders left from a
 * sample ({@code <instance-id>}, the documentation's account {@code 123456789012}, an instance id no instance of
 * ours has), ARNs that are malformed or name another region, account or instance than the event, and a time far
 * from now. Real EventBridge events carry {@code arn:aws:ec2:<region>:<account>:instance/<id>} and arrive within
 * seconds of their {@code time}, so an event that does not is almost always a pasted sample half edited.
 */
final class EventChecks {
    /** Real events arrive within seconds; clocks and a slow hand make a few minutes fair. */
    static final Duration FAR = Duration.ofMinutes(5);
    private static final String SAMPLE_ACCOUNT = "123456789012";
    private static final Set<String> SAMPLE_IDS = Set.of("i-0123456789abcdef0", "i-1234567890abcdef0",
            "i-0abcd1234efgh5678", "i-1234567890abcdef");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>|\\$\\{[^}]*}|X{4,}|x{4,}");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern INSTANCE_ARN = Pattern.compile("arn:(aws[a-z-]*):ec2:([^:]*):([^:]*):instance/(.*)");

    /** One thing wrong, at a line of the file (0 when it cannot be placed). */
    record Problem(int line, String text) {
        Problem {
            requireNonNull(text, "text is null");
        }
    }

    /**
     * What the event is checked against: the instances spotkeeper has run (id → region, in the order to name
     * them), the account and region of the control plane when known, and now.
     */
    record Context(Map<String, String> instances, Optional<String> account, Optional<String> region, Instant now) {
        Context {
            instances = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(instances));
            requireNonNull(account, "account is null");
            requireNonNull(region, "region is null");
            requireNonNull(now, "now is null");
        }
    }

    private final String text;
    private final Map<String, Object> root;
    private final SpotEvent event;
    private final Context context;
    private final List<Problem> problems = new ArrayList<>();

    private EventChecks(String text, Map<String, Object> root, SpotEvent event, Context context) {
        this.text = text;
        this.root = root;
        this.event = event;
        this.context = context;
    }

    /** Every problem of an event that parsed, in the order of the file's lines. */
    static List<Problem> problems(String text, Map<String, Object> root, SpotEvent event, Context context) {
        EventChecks c = new EventChecks(text, root, event, context);
        c.instance();
        String account = c.account();
        String region = c.region();
        c.resources(account, region);
        c.time();
        c.problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return List.copyOf(c.problems);
    }

    private void instance() {
        String id = event.instanceId();
        String key = "detail." + (event instanceof SpotEvent.LifecycleAction ? "EC2InstanceId" : "instance-id");
        int line = lineOf("\"" + id + "\"");
        if (PLACEHOLDER.matcher(id).find()) {
            add(line, key + " '" + id + "' is a placeholder: write the id of one of our instances" + ours());
        } else if (!INSTANCE_ID.matcher(id).matches()) {
            add(line, key + " '" + id + "' is not an instance id (i- and 8 or 17 hex digits)" + ours());
        } else if (!context.instances().containsKey(id)) {
            add(line, key + " '" + id + "' is no instance spotkeeper runs here"
                    + (SAMPLE_IDS.contains(id) ? " (it is a sample id of the AWS documentation)" : "") + ours()
                    + "; `spotkeeper status NAME` lists a workload's instances");
        }
    }

    private String ours() {
        if (context.instances().isEmpty()) {
            return " (no instance runs now)";
        }
        List<String> ids = context.instances().keySet().stream().limit(5).toList();
        return " (ours: " + String.join(", ", ids) + (context.instances().size() > 5 ? ", …" : "") + ")";
    }

    /** The event's account when it names one, else the plane's. */
    private String account() {
        Object value = root.get("account");
        if (value == null) {
            if (isEc2()) {
                add(lineOf("\"source\""), "account is missing: EC2 events name the account they come from"
                        + context.account().map(a -> ", here " + a).orElse(""));
            }
            return context.account().orElse("");
        }
        String account = String.valueOf(value);
        int line = lineOf("\"account\"");
        if (account.equals(SAMPLE_ACCOUNT)) {
            add(line, "account '" + account + "' is the sample account of the AWS documentation"
                    + context.account().map(a -> "; this control plane's account is " + a).orElse(""));
        } else if (PLACEHOLDER.matcher(account).find() || !ACCOUNT.matcher(account).matches()) {
            add(line, "account '" + account + "' is not a 12-digit account id"
                    + context.account().map(a -> "; this control plane's account is " + a).orElse(""));
        } else if (context.account().isPresent() && !context.account().get().equals(account)) {
            add(line, "account '" + account + "' is not this control plane's account (" + context.account().get()
                    + ")");
        }
        return account;
    }

    private String region() {
        String region = String.valueOf(root.getOrDefault("region", ""));
        String expected = Optional.ofNullable(context.instances().get(event.instanceId())).or(context::region)
                .orElse("");
        if (!expected.isEmpty() && !region.equals(expected)) {
            boolean ofInstance = context.instances().containsKey(event.instanceId());
            add(lineOf("\"region\""), "region '" + region + "' is not where " + (ofInstance ? event.instanceId()
                    + " runs" : "this control plane runs") + " (" + expected + ")");
        }
        return region;
    }

    /** EC2 events name their instance by ARN; the controller checks that it agrees with the rest. */
    private void resources(String account, String region) {
        if (!isEc2()) {
            return;
        }
        String expected = "arn:aws:ec2:" + (region.isEmpty() ? context.region().orElse("<region>") : region) + ":"
                + (account.isEmpty() ? "<account>" : account) + ":instance/" + event.instanceId();
        int line = lineOf("\"resources\"");
        if (!(root.get("resources") instanceof List<?> resources) || resources.isEmpty()) {
            add(line, "resources is empty: EC2 names the instance there, as [\"" + expected + "\"]");
            return;
        }
        for (Object r : resources) {
            String arn = String.valueOf(r);
            int at = Math.max(line, lineOf("\"" + arn + "\""));
            Matcher m = INSTANCE_ARN.matcher(arn);
            String problem;
            if (!m.matches() || !ACCOUNT.matcher(m.group(3)).matches() || m.group(2).isEmpty()) {
                problem = "'" + arn + "' is not an instance ARN (arn:aws:ec2:<region>:<12-digit account>:instance/<id>)";
            } else if (!m.group(2).equals(region)) {
                problem = "'" + arn + "' names region " + m.group(2) + ", but the event's region is " + region;
            } else if (!m.group(3).equals(account)) {
                problem = "'" + arn + "' names account " + m.group(3) + ", but the event's account is " + account;
            } else if (!m.group(4).equals(event.instanceId())) {
                problem = "'" + arn + "' names instance " + m.group(4) + ", but detail.instance-id is "
                        + event.instanceId();
            } else {
                continue;
            }
            add(at, "resources: " + problem + "; write \"" + expected + "\"");
        }
    }

    private void time() {
        Instant time;
        try {
            time = Instant.parse(String.valueOf(root.get("time")));
        } catch (DateTimeParseException e) {
            return; // the parser refused it already
        }
        Duration off = Duration.between(context.now(), time);
        if (off.abs().compareTo(FAR) <= 0) {
            return;
        }
        add(lineOf("\"time\""), "time " + time + " is " + human(off.abs()) + (off.isNegative() ? " before" : " after")
                + " now (" + context.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): real events"
                + " arrive within seconds of their time; write the time you send it, e.g. \""
                + context.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"");
    }

    private boolean isEc2() {
        return "aws.ec2".equals(root.get("source"));
    }

    private void add(int line, String problem) {
        problems.add(new Problem(line, problem));
    }

    /** The line of the first occurrence of {@code needle}, 0 when it is not in the text. */
    private int lineOf(String needle) {
        int at = text.indexOf(needle);
        if (at < 0) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            line += text.charAt(i) == '\n' ? 1 : 0;
        }
        return line;
    }

    /** The two largest whole units: "6 years 3 months", "1 hour 30 minutes", "2 hours". */
    static String human(Duration d) {
        long[] sizes = {365L * 86400, 30L * 86400, 86400, 3600, 60, 1};
        String[] names = {"year", "month", "day", "hour", "minute", "second"};
        long s = d.getSeconds();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length && parts.size() < 2; i++) {
            long n = s / sizes[i];
            s -= n * sizes[i];
            if (n > 0) {
                parts.add(n + " " + names[i] + (n == 1 ? "" : "s"));
            } else if (!parts.isEmpty()) {
                break;
            }
        }
        return parts.isEmpty() ? "0 seconds" : String.join(" ", parts);
    }
}
