package dev.spotkeeper.emulator.ec2.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.emulator.spi.ServiceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EC2's query API (version 2016-11-15): form-encoded POST (or GET) in, XML out. Every failure, including a body
 * that is not a form at all, is answered with AWS's XML error document; nothing escapes as a stack trace.
 */
public final class Ec2Handler implements ServiceHandler {
    static final String VERSION = "2016-11-15";
    private static final Pattern REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/ec2/aws4_request");
    private static final int MAX_BODY = 1 << 20;

    private final Map<String, Function<Call, String>> actions = new LinkedHashMap<>();

    public Ec2Handler(Ec2Backend backend) {
        CatalogActions catalog = new CatalogActions(backend.market());
        actions.put("DescribeRegions", catalog::describeRegions);
        actions.put("DescribeAvailabilityZones", catalog::describeAvailabilityZones);
        actions.put("DescribeInstanceTypes", catalog::describeInstanceTypes);
        actions.put("DescribeImages", catalog::describeImages);
        actions.put("DescribeSubnets", catalog::describeSubnets);
        TemplateActions templates = new TemplateActions(backend.templates());
        actions.put("CreateLaunchTemplate", templates::create);
        actions.put("DescribeLaunchTemplates", templates::describe);
        actions.put("DeleteLaunchTemplate", templates::delete);
        InstanceActions instances = new InstanceActions(backend);
        actions.put("RunInstances", instances::runInstances);
        actions.put("DescribeInstances", instances::describeInstances);
        actions.put("TerminateInstances", instances::terminateInstances);
        actions.put("CreateTags", instances::createTags);
        actions.put("DeleteTags", instances::deleteTags);
        actions.put("GetConsoleOutput", instances::getConsoleOutput);
        actions.put("CreateFleet", new FleetActions(backend, instances)::createFleet);
        AddressActions addresses = new AddressActions(backend);
        actions.put("AllocateAddress", addresses::allocate);
        actions.put("AssociateAddress", addresses::associate);
        actions.put("DisassociateAddress", addresses::disassociate);
        actions.put("DescribeAddresses", addresses::describe);
        actions.put("ReleaseAddress", addresses::release);
        SecurityGroupActions groups = new SecurityGroupActions(backend::newId);
        actions.put("CreateSecurityGroup", groups::create);
        actions.put("AuthorizeSecurityGroupIngress", groups::authorizeIngress);
        actions.put("DeleteSecurityGroup", groups::delete);
        actions.put("DescribeSecurityGroups", groups::describe);
        SpotActions spot = new SpotActions(backend);
        actions.put("RequestSpotInstances", spot::requestSpotInstances);
        actions.put("DescribeSpotInstanceRequests", spot::describeSpotInstanceRequests);
        actions.put("CancelSpotInstanceRequests", spot::cancelSpotInstanceRequests);
        actions.put("DescribeSpotPriceHistory", spot::describeSpotPriceHistory);
        actions.put("GetSpotPlacementScores", spot::getSpotPlacementScores);
    }

    @Override
    public String service() {
        return "ec2";
    }

    public List<String> actions() {
        return List.copyOf(actions.keySet());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        int status = 200;
        String body;
        try {
            body = dispatch(exchange, requestId);
        } catch (Ec2Error e) {
            status = e.status();
            body = Xml.error(e.code(), e.getMessage(), requestId);
        } catch (RuntimeException e) {
            status = 500;
            body = Xml.error("InternalError", "The emulator failed on this request (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); it keeps serving others.", requestId);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private String dispatch(HttpExchange exchange, String requestId) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw Ec2Error.client("InvalidParameterValue", "The request body is larger than 1 MiB.");
        }
        Map<String, String> all = new LinkedHashMap<>(QueryParams.parse(exchange.getRequestURI().getRawQuery()).asMap());
        all.putAll(QueryParams.parse(new String(raw, StandardCharsets.UTF_8)).asMap());
        QueryParams params = new QueryParams(all);
        String action = params.get("Action").orElseThrow(() -> Ec2Error.client("MissingAction",
                "The request must contain the parameter Action; EC2 takes a form-encoded body such as "
                        + "Action=DescribeRegions&Version=" + VERSION + "."));
        Function<Call, String> handler = actions.get(action);
        if (handler == null) {
            List<String> near = Names.nearest(action, actions.keySet(), 3);
            throw Ec2Error.client("InvalidAction", "The action " + action + " is not valid for this web service."
                    + (near.isEmpty() ? "" : " Did you mean: " + String.join(", ", near) + "?")
                    + " The emulator implements: " + String.join(", ", actions.keySet()) + ".");
        }
        return handler.apply(new Call(action, params, region(exchange), requestId));
    }

    private static String region(HttpExchange exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            Matcher m = REGION.matcher(auth);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "us-east-1";
    }
}
