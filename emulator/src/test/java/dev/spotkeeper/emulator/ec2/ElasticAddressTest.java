package dev.spotkeeper.emulator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AllocateAddressResponse;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class ElasticAddressTest {
    static final String AMI = "ami-0e5f0a1b2c3d40001";

    @TempDir
    static Path work;
    static EmulatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(work, 256);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String launch() {
        String userData = Base64.getEncoder().encodeToString("#!/bin/sh\nsleep 300\n".getBytes(StandardCharsets.UTF_8));
        String id = f.ec2.runInstances(b -> b.imageId(AMI).instanceType("m5.large").minCount(1).maxCount(1)
                .userData(userData)).instances().get(0).instanceId();
        await().atMost(Duration.ofSeconds(15)).until(() -> f.ec2.describeInstances(b -> b.instanceIds(id))
                .reservations().get(0).instances().get(0).state().name() == InstanceStateName.RUNNING);
        return id;
    }

    static Address address(String allocationId) {
        return f.ec2.describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0);
    }

    static Map<String, String> tags(Address a) {
        return a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    static int forwardPort(Address a) {
        String forward = tags(a).get("spotkeeper:emulator-forward");
        assertThat(forward).startsWith("127.0.0.1:");
        return Integer.parseInt(forward.substring("127.0.0.1:".length()));
    }

    /** A one-line server standing for the instance's service: answers each line with its name. */
    static ServerSocket serve(String instanceId, String name) throws IOException {
        int port = f.emulator.ec2().instances().hostPort(instanceId, 5432).orElseThrow();
        ServerSocket server = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread c = new Thread(() -> {
                        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(s.getOutputStream(), true,
                                StandardCharsets.UTF_8)) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                out.println(name + ":" + line);
                            }
                        } catch (IOException ignored) {
                            // the client or the forward closed
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    static String ask(Socket s, String line) throws IOException {
        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
        out.println(line);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void allocate_givesVpcAddressFromDocumentationRange_withTagsAndStableForward() {
        AllocateAddressResponse r = f.ec2.allocateAddress(b -> b.domain(DomainType.VPC).tagSpecifications(t -> t
                .resourceType(ResourceType.ELASTIC_IP).tags(Tag.builder().key("spotkeeper:workload").value("appdb")
                        .build())));
        assertThat(r.allocationId()).matches("eipalloc-[0-9a-f]{17}");
        assertThat(r.publicIp()).matches("(198\\.51\\.100|203\\.0\\.113)\\.\\d+");
        assertThat(r.domain()).isEqualTo(DomainType.VPC);
        Address a = address(r.allocationId());
        assertThat(a.publicIp()).isEqualTo(r.publicIp());
        assertThat(tags(a)).containsEntry("spotkeeper:workload", "appdb");
        assertThat(forwardPort(address(r.allocationId()))).isEqualTo(forwardPort(a));

        List<Address> byTag = f.ec2.describeAddresses(b -> b.filters(Filter.builder().name("tag:spotkeeper:workload")
                .values("appdb").build())).addresses();
        assertThat(byTag).extracting(Address::allocationId).containsExactly(r.allocationId());
        assertThat(f.ec2.describeAddresses(b -> b.filters(Filter.builder().name("tag:spotkeeper:workload")
                .values("other").build())).addresses()).isEmpty();

        f.ec2.createTags(b -> b.resources(r.allocationId()).tags(Tag.builder().key("team").value("db").build()));
        assertThat(tags(address(r.allocationId()))).containsEntry("team", "db");
        f.ec2.releaseAddress(b -> b.allocationId(r.allocationId()));
        assertThatThrownBy(() -> address(r.allocationId())).isInstanceOfSatisfying(Ec2Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAllocationID.NotFound"));
    }

    @Test
    void associate_refusesReleaseWhileAssociated_andReassociationNeedsAllowReassociation() {
        String one = launch();
        String two = launch();
        String alloc = f.ec2.allocateAddress(b -> b.domain(DomainType.VPC)).allocationId();
        String assoc = f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId(one)).associationId();
        assertThat(assoc).matches("eipassoc-[0-9a-f]{17}");
        assertThat(address(alloc).instanceId()).isEqualTo(one);
        assertThat(f.ec2.describeAddresses(b -> b.filters(Filter.builder().name("instance-id").values(one).build()))
                .addresses()).extracting(Address::allocationId).containsExactly(alloc);

        assertThatThrownBy(() -> f.ec2.releaseAddress(b -> b.allocationId(alloc)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidIPAddress.InUse"));
        assertThatThrownBy(() -> f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId(two)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Resource.AlreadyAssociated"));
        assertThatThrownBy(() -> f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId("i-00000000000000000")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound"));

        String moved = f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId(two).allowReassociation(true))
                .associationId();
        assertThat(moved).isNotEqualTo(assoc);
        assertThat(address(alloc).instanceId()).isEqualTo(two);
        assertThatThrownBy(() -> f.ec2.disassociateAddress(b -> b.associationId(assoc)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAssociationID.NotFound"));
        f.ec2.disassociateAddress(b -> b.associationId(moved));
        assertThat(address(alloc).instanceId()).isNull();
        f.ec2.releaseAddress(b -> b.allocationId(alloc));
        f.ec2.terminateInstances(b -> b.instanceIds(one, two));
    }

    @Test
    void forward_followsReassociation_andClosesConnectionsOfTerminatedInstance() throws Exception {
        String one = launch();
        String two = launch();
        String alloc = f.ec2.allocateAddress(b -> b.domain(DomainType.VPC).tagSpecifications(t -> t
                .resourceType(ResourceType.ELASTIC_IP).tags(Tag.builder().key("spotkeeper:forward-port")
                        .value("5432").build()))).allocationId();
        int port = forwardPort(address(alloc));
        try (ServerSocket s1 = serve(one, "one"); ServerSocket s2 = serve(two, "two")) {
            f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId(one));
            Socket first = new Socket(InetAddress.getLoopbackAddress(), port);
            first.setSoTimeout(10_000);
            assertThat(ask(first, "hello")).isEqualTo("one:hello");

            f.ec2.associateAddress(b -> b.allocationId(alloc).instanceId(two).allowReassociation(true));
            try (Socket second = new Socket(InetAddress.getLoopbackAddress(), port)) {
                second.setSoTimeout(10_000);
                assertThat(ask(second, "again")).isEqualTo("two:again");
            }
            assertThat(forwardPort(address(alloc))).isEqualTo(port);
            assertThat(ask(first, "still")).isEqualTo("one:still");

            f.ec2.terminateInstances(b -> b.instanceIds(one));
            await().atMost(Duration.ofSeconds(15)).until(() -> first.getInputStream().read() == -1);
            first.close();
            f.ec2.terminateInstances(b -> b.instanceIds(two));
            await().atMost(Duration.ofSeconds(15)).until(() -> address(alloc).instanceId() == null);
        }
        f.ec2.releaseAddress(b -> b.allocationId(alloc));
    }
}
