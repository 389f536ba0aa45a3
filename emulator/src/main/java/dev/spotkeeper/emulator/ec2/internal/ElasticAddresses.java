package dev.spotkeeper.emulator.ec2.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The account's Elastic IP addresses. Each allocation holds a loopback TCP forward of its own, bound once at
 * allocation and kept until release: a connection made to it goes to the associated instance's host port for the
 * address's forwarded port ({@value #PORT_TAG} tag, 3306 without one). Re-association changes where new connections go;
 * the connections to an instance are closed once it is no longer live, and its addresses are disassociated then,
 * as EC2 does when an instance is terminated.
 */
public final class ElasticAddresses implements Closeable {
    /** The tag the emulator sets on each address: where its forward listens ({@code 127.0.0.1:PORT}). */
    public static final String FORWARD_TAG = "spotkeeper:emulator-forward";
    /** The instance port an address forwards to, read at each connection. */
    public static final String PORT_TAG = "spotkeeper:forward-port";
    static final int DEFAULT_PORT = 3306;

    /** One allocation; mutable fields guarded by the registry. */
    static final class Address {
        final String allocationId;
        final String publicIp;
        final String region;
        final Map<String, String> tags = new LinkedHashMap<>();
        String instanceId;
        String associationId;
        String privateIp;
        final ServerSocket listener;
        final Set<Forward> forwards = ConcurrentHashMap.newKeySet();

        Address(String allocationId, String publicIp, String region, ServerSocket listener) {
            this.allocationId = allocationId;
            this.publicIp = publicIp;
            this.region = region;
            this.listener = listener;
        }

        int loopbackPort() {
            return listener.getLocalPort();
        }
    }

    /** A snapshot of one address for answers. */
    record View(String allocationId, String publicIp, String region, String instanceId, String associationId,
                String privateIp, Map<String, String> tags, int loopbackPort) {
    }

    /** One forwarded connection: the client's socket and the instance's. */
    record Forward(String instanceId, Socket client, Socket upstream) {
        void close() {
            quietly(client);
            quietly(upstream);
        }
    }

    private final Map<String, Address> byId = new LinkedHashMap<>();
    private final ExecutorService workers;
    private final Function<String, Optional<EmulatedInstance>> instances;
    private int nextHost = 10;

    ElasticAddresses(ExecutorService workers, Function<String, Optional<EmulatedInstance>> instances) {
        this.workers = workers;
        this.instances = instances;
    }

    /** AllocateAddress: a PublicIp from 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737), and its loopback forward. */
    synchronized View allocate(String allocationId, String region, Map<String, String> tags) {
        if (nextHost > 2 * 244 + 10) {
            throw Ec2Error.client("AddressLimitExceeded", "The maximum number of addresses has been reached.");
        }
        int n = nextHost++;
        String ip = (n < 254 ? "198.51.100." + n : "203.0.113." + (n - 244));
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new Ec2Error("InternalError", "no free port on 127.0.0.1 for the address's forward: "
                    + e.getMessage(), 500);
        }
        Address a = new Address(allocationId, ip, region, listener);
        a.tags.putAll(tags);
        a.tags.put(FORWARD_TAG, "127.0.0.1:" + a.loopbackPort());
        byId.put(allocationId, a);
        workers.submit(() -> accept(a));
        return view(a);
    }

    synchronized List<View> all(String region) {
        List<View> out = new ArrayList<>();
        for (Address a : byId.values()) {
            if (a.region.equals(region)) {
                out.add(view(a));
            }
        }
        return out;
    }

    synchronized Optional<View> byPublicIp(String publicIp) {
        return byId.values().stream().filter(a -> a.publicIp.equals(publicIp)).findFirst().map(ElasticAddresses::view);
    }

    /** AssociateAddress. */
    synchronized String associate(String allocationId, String region, EmulatedInstance instance, boolean reassociate,
                                  String associationId) {
        Address a = require(allocationId, region);
        if (a.instanceId != null && !reassociate && !a.instanceId.equals(instance.id)) {
            throw Ec2Error.client("Resource.AlreadyAssociated", "resource " + allocationId
                    + " is already associated with associate-id " + a.associationId);
        }
        for (Address other : byId.values()) {
            if (other != a && instance.id.equals(other.instanceId)) {
                // An instance's primary private address holds one Elastic IP: the newer one replaces it.
                other.instanceId = null;
                other.associationId = null;
                other.privateIp = null;
            }
        }
        a.instanceId = instance.id;
        a.associationId = associationId;
        a.privateIp = instance.privateIp;
        return associationId;
    }

    /** DisassociateAddress. */
    synchronized void disassociate(String associationId, String region) {
        for (Address a : byId.values()) {
            if (associationId.equals(a.associationId) && a.region.equals(region)) {
                a.instanceId = null;
                a.associationId = null;
                a.privateIp = null;
                return;
            }
        }
        throw Ec2Error.client("InvalidAssociationID.NotFound", "The association ID '" + associationId
                + "' does not exist");
    }

    /** ReleaseAddress: refused while associated, as in a VPC. */
    void release(String allocationId, String region) {
        Address a;
        synchronized (this) {
            a = require(allocationId, region);
            if (a.associationId != null) {
                throw Ec2Error.client("InvalidIPAddress.InUse", "Address " + a.publicIp + " is in use by "
                        + a.instanceId + "; disassociate it (DisassociateAddress " + a.associationId + ") first.");
            }
            byId.remove(allocationId);
        }
        quietly(a.listener);
        a.forwards.forEach(Forward::close);
    }

    synchronized void tag(String allocationId, String key, String value, boolean add) {
        Address a = byId.get(allocationId);
        if (a == null || FORWARD_TAG.equals(key)) {
            return;
        }
        if (add) {
            a.tags.put(key, value);
        } else if (value == null || value.equals(a.tags.get(key))) {
            a.tags.remove(key);
        }
    }

    synchronized boolean exists(String allocationId) {
        return byId.containsKey(allocationId);
    }

    synchronized Address require(String allocationId, String region) {
        Address a = byId.get(allocationId);
        if (a == null || !a.region.equals(region)) {
            throw Ec2Error.client("InvalidAllocationID.NotFound", "The allocation ID '" + allocationId
                    + "' does not exist");
        }
        return a;
    }

    /**
     * Once an instance is no longer live: its addresses are disassociated and the connections forwarded to it closed
     * (what a client of a terminated instance sees).
     */
    void sweep() {
        List<Forward> dead = new ArrayList<>();
        synchronized (this) {
            for (Address a : byId.values()) {
                if (a.instanceId != null && !live(a.instanceId)) {
                    a.instanceId = null;
                    a.associationId = null;
                    a.privateIp = null;
                }
                for (Forward f : a.forwards) {
                    if (!live(f.instanceId())) {
                        dead.add(f);
                        a.forwards.remove(f);
                    }
                }
            }
        }
        dead.forEach(Forward::close);
    }

    private boolean live(String instanceId) {
        return instances.apply(instanceId).map(i -> i.state().isLive()).orElse(false);
    }

    private void accept(Address a) {
        while (!a.listener.isClosed()) {
            Socket client;
            try {
                client = a.listener.accept();
            } catch (IOException e) {
                return;
            }
            workers.submit(() -> forward(a, client));
        }
    }

    private void forward(Address a, Socket client) {
        String instanceId;
        int port;
        synchronized (this) {
            instanceId = a.instanceId;
            port = forwardedPort(a);
        }
        OptionalInt target = instanceId == null ? OptionalInt.empty()
                : instances.apply(instanceId).filter(i -> i.state().isLive())
                        .map(i -> OptionalInt.of(i.hostPort(port))).orElse(OptionalInt.empty());
        if (target.isEmpty()) {
            quietly(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getAsInt()), 5_000);
        } catch (IOException e) {
            quietly(client);
            quietly(upstream);
            return;
        }
        Forward f = new Forward(instanceId, client, upstream);
        a.forwards.add(f);
        workers.submit(() -> pump(f, client, upstream, a));
        pump(f, upstream, client, a);
    }

    private static int forwardedPort(Address a) {
        String v = a.tags.get(PORT_TAG);
        if (v != null) {
            try {
                int p = Integer.parseInt(v.trim());
                if (p >= 1 && p <= 65_535) {
                    return p;
                }
            } catch (NumberFormatException ignored) {
                // the default below
            }
        }
        return DEFAULT_PORT;
    }

    private static void pump(Forward f, Socket from, Socket to, Address a) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            a.forwards.remove(f);
            f.close();
        }
    }

    private static View view(Address a) {
        return new View(a.allocationId, a.publicIp, a.region, a.instanceId, a.associationId, a.privateIp,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(a.tags)), a.loopbackPort());
    }

    private static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        List<Address> all;
        synchronized (this) {
            all = new ArrayList<>(byId.values());
        }
        for (Address a : all) {
            quietly(a.listener);
            a.forwards.forEach(Forward::close);
        }
    }
}
