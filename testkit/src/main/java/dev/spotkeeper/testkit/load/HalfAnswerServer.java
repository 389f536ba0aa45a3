package dev.spotkeeper.testkit.load;

/**
 * The server a fleet's instances run in the fleet tests and benchmark B7: headers and half the body at once, 200 ms
 * of work, then the rest; {@code /health} at once. A request cut mid-answer therefore shows (HAProxy, like ALB,
 * retries only requests that got no answer at all), so only a drain keeps an instance's leaving from failing
 * requests. Python's standard library only, listening on 127.0.0.1.
 */
public final class HalfAnswerServer {
    /** The program (Python 3), to be run with the port as its only argument. */
    public static final String PROGRAM = """
            import http.server, sys, time
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                def do_GET(self):
                    half = b"ok\\n" if self.path == "/health" else b"x" * 512
                    self.send_response(200)
                    self.send_header("Content-Length", str(2 * len(half)))
                    self.end_headers()
                    self.wfile.write(half)
                    self.wfile.flush()
                    if self.path != "/health":
                        time.sleep(0.2)
                    self.wfile.write(half)
                def log_message(self, *args):
                    pass
            http.server.ThreadingHTTPServer.daemon_threads = True
            http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """;

    /**
     * User data for an emulated instance: the port the emulator gives the instance for 8080 (IMDSv2), the program
     * written to {@code server.py}, and the server started on that port.
     */
    public static final String USER_DATA = """
            #!/bin/sh
            e="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
            t=$(curl -s -X PUT "$e/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
            port=$(curl -s -H "X-aws-ec2-metadata-token: $t" "$e/latest/meta-data/spotkeeper/host-port/8080")
            """ + shell("\"$port\"");

    private HalfAnswerServer() {
    }

    /** Shell lines that write the program to {@code server.py} and run it on {@code port} (a shell word). */
    public static String shell(String port) {
        return "cat > server.py <<'PY'\n" + PROGRAM + "PY\nexec python3 server.py " + port + "\n";
    }

    /** {@link #shell} with every line indented by {@code indent}, for a block scalar in a workload file. */
    public static String shell(String port, String indent) {
        return shell(port).lines().map(l -> l.isEmpty() ? l : indent + l)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }
}
