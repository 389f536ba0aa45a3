package dev.spotkeeper.emulator.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.emulator.Emulator;
import dev.spotkeeper.emulator.services.events.EventDeliveryComponent;
import dev.spotkeeper.emulator.services.lambda.LambdaComponent;
import dev.spotkeeper.emulator.services.lambda.fixture.BatchHandler;
import dev.spotkeeper.emulator.services.lambda.fixture.EchoHandler;
import static org.awaitility.Awaitility.await;
import java.time.Duration;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** The emulator's Lambda through the AWS SDK: a jar's Java handler in a class loader of its own, invoked. */
class LambdaApiTest {
    @TempDir
    Path work;
    Emulator emulator;
    LambdaClient lambda;
    SqsClient sqs;

    @BeforeEach
    void start() throws Exception {
        ServicesOptions options = ServicesOptions.defaults().withRegion(TestClients.REGION);
        emulator = Emulator.start(0, Clock.systemUTC(), 5, 1.0, work, List.of(new SqsComponent(options),
                new EventDeliveryComponent(options), new LambdaComponent(options)));
        TestClients clients = new TestClients(emulator.endpoint());
        sqs = clients.sqs();
        lambda = LambdaClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(TestClients.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(clients.accessKey,
                                clients.secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        lambda.close();
        sqs.close();
        emulator.close();
    }

    /** The fixture handlers' class files alone in a jar, as a function's code. */
    private static byte[] fixtureJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Class<?> type : List.of(EchoHandler.class, BatchHandler.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                try (var in = type.getClassLoader().getResourceAsStream(entry)) {
                    jar.putNextEntry(new JarEntry(entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private void create(String name, int timeout) throws IOException {
        byte[] jar = fixtureJar();
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role("arn:aws:iam::123456789012:role/fn")
                .handler(EchoHandler.class.getName() + "::handle").timeout(timeout)
                .environment(e -> e.variables(Map.of("GREETING", "hello from " + name)))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(jar))));
    }

    private Map<String, Object> invoke(String name, String payload) {
        InvokeResponse r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.functionError()).isNull();
        return Json.parseObject(r.payload().asUtf8String());
    }

    @Test
    void aJarsHandler_runsInItsOwnClassLoader_withItsEnvironment_keptBetweenInvocations() throws Exception {
        create("echo-a", 10);
        create("echo-b", 10);

        Map<String, Object> first = invoke("echo-a", "{\"x\":1}");
        Map<String, Object> second = invoke("echo-a", "{\"Records\":[{\"body\":\"b\"}]}");
        Map<String, Object> other = invoke("echo-b", "{}");

        assertThat(first).containsEntry("echo", Map.of("x", 1L)).containsEntry("greeting", "hello from echo-a")
                .containsEntry("loader", "lambda-echo-a");
        assertThat(second).as("one instance per function").containsEntry("calls", 2L).containsEntry("records", 1L);
        assertThat(other).as("its own class, statics and environment").containsEntry("calls", 1L)
                .containsEntry("greeting", "hello from echo-b");
        var got = lambda.getFunction(b -> b.functionName("echo-a"));
        assertThat(got.configuration().handler()).isEqualTo(EchoHandler.class.getName() + "::handle");
        assertThat(got.configuration().functionArn()).isEqualTo("arn:aws:lambda:" + TestClients.REGION + ":"
                + ServicesOptions.defaults().accountId() + ":function:echo-a");
        assertThat(got.configuration().environment().variables()).containsEntry("GREETING", "hello from echo-a");
    }

    @Test
    void eachFunctionSees_theVariablesLambdaSets_withCredentialsOfItsOwn_andTheEmulatorsEndpoint() throws Exception {
        create("env-a", 10);
        create("env-b", 10);

        Map<String, Object> a = invoke("env-a", "{}");
        Map<String, Object> b = invoke("env-b", "{}");

        for (Map<String, Object> seen : List.of(a, b)) {
            assertThat(seen).containsEntry("AWS_REGION", TestClients.REGION)
                    .containsEntry("AWS_ENDPOINT_URL", emulator.endpoint().toString()).containsEntry("hasSecret", true);
            assertThat(String.valueOf(seen.get("AWS_ACCESS_KEY_ID"))).matches("ASIA[A-Z2-7]{16}");
        }
        assertThat(a).containsEntry("AWS_LAMBDA_FUNCTION_NAME", "env-a");
        assertThat(b).containsEntry("AWS_LAMBDA_FUNCTION_NAME", "env-b");
        assertThat(a.get("AWS_ACCESS_KEY_ID")).as("a session of its own").isNotEqualTo(b.get("AWS_ACCESS_KEY_ID"));
        assertThat(lambda.getFunction(r -> r.functionName("env-a")).configuration().environment().variables())
                .as("GetFunction shows the configured variables only").containsOnlyKeys("GREETING");

        byte[] jar = fixtureJar();
        assertThatThrownBy(() -> lambda.createFunction(r -> r.functionName("reserved").runtime(Runtime.JAVA17)
                .role("arn:aws:iam::123456789012:role/fn").handler(EchoHandler.class.getName() + "::handle")
                .environment(e -> e.variables(Map.of("AWS_REGION", "eu-north-1")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(jar))))).isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Reserved keys used in this request: AWS_REGION");
    }

    @Test
    void aHandlerThatThrowsOrOverrunsItsTimeout_isAFunctionError() throws Exception {
        create("slow", 1);

        InvokeResponse failed = lambda.invoke(b -> b.functionName("slow").payload(SdkBytes.fromUtf8String(
                "{\"mode\":\"fail\"}")));
        long started = System.nanoTime();
        InvokeResponse overran = lambda.invoke(b -> b.functionName("slow").payload(SdkBytes.fromUtf8String(
                "{\"mode\":\"overrun\"}")));
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(Json.parseObject(failed.payload().asUtf8String())).containsEntry("errorType",
                "java.lang.IllegalStateException").containsEntry("errorMessage", "asked to fail");
        assertThat(overran.functionError()).isEqualTo("Unhandled");
        assertThat(overran.payload().asUtf8String()).contains("Task timed out after 1.00 seconds");
        assertThat(seconds).as("the timeout ends the call, not the handler's 60 s").isLessThan(20);
    }

    @Test
    void createGetDelete_errorsAreLambdas() throws Exception {
        create("once", 3);
        assertThatThrownBy(() -> create("once", 3)).isInstanceOf(ResourceConflictException.class);
        byte[] jar = fixtureJar();
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("bad").runtime(Runtime.JAVA17)
                .role("arn:aws:iam::123456789012:role/fn").handler("no.such.Handler::handle")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(jar))))).isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("no.such.Handler");
        lambda.deleteFunction(b -> b.functionName("once"));
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("once")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("once")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(Files.exists(work.resolve("lambda/once"))).isFalse();
    }

    private int inQueue(String url) {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(a.get("ApproximateNumberOfMessages"))
                + Integer.parseInt(a.get("ApproximateNumberOfMessagesNotVisible"));
    }

    private String queueWith(String name, String... bodies) {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                "1"))).queueUrl();
        for (String body : bodies) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        return url;
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void createBatchFunction(String name) throws IOException {
        byte[] jar = fixtureJar();
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role("arn:aws:iam::123456789012:role/fn")
                .handler(BatchHandler.class.getName() + "::handle").timeout(10)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(jar))));
    }

    @Test
    void anSqsMappingWithReportBatchItemFailures_deletesTheBatch_butTheFailedMessages() throws Exception {
        String url = queueWith("work", "ok-1", "fail-2", "ok-3");
        createBatchFunction("batch");

        String uuid = lambda.createEventSourceMapping(b -> b.functionName("batch").eventSourceArn(arn(url)).batchSize(10)
                .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)).uuid();

        await().atMost(Duration.ofSeconds(20)).until(() -> inQueue(url) == 1);
        assertThat(lambda.getEventSourceMapping(b -> b.uuid(uuid)).batchSize()).isEqualTo(10);
        lambda.deleteEventSourceMapping(b -> b.uuid(uuid));
        List<String> left = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().forEach(m -> left.add(m.body()));
            return !left.isEmpty();
        });
        assertThat(left).containsOnly("fail-2");
    }

    @Test
    void withoutReportBatchItemFailures_aReturnedFailureListIsIgnored_andTheBatchIsDeleted() throws Exception {
        String url = queueWith("plain", "fail-1", "ok-2");
        createBatchFunction("plain-batch");

        lambda.createEventSourceMapping(b -> b.functionName("plain-batch").eventSourceArn(arn(url)).batchSize(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> inQueue(url) == 0);
        assertThat(lambda.listEventSourceMappings().eventSourceMappings()).singleElement()
                .satisfies(m -> assertThat(m.functionArn()).endsWith(":function:plain-batch"));
    }
}
