package dev.spotkeeper.plane;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.Map;

/**
 * How AWS user data starts the agent: {@code java -jar} on the agent's own jar (never the CLI's, which carries the
 * emulator and its embedded servers), fetched at boot from a URL when one is set ({@code s3://bucket/key} with the
 * instance's role through the AWS CLI, or {@code https://…} with curl), else the jar the machine image carries at
 * {@code /opt/spotkeeper/spotkeeper-agent.jar}. Where the image has no Java (Amazon Linux 2023 has none), the script
 * installs the distribution's Amazon Corretto 17 first.
 *
 * <p>The controller appends {@code agent --workload … --agent-spec …} to the command; so that the download and the
 * start stay one {@code exec} in user data, the command is a {@code sh -c} script that takes the URL as {@code $0}
 * and hands the appended arguments on to the agent.
 */
public final class AgentDownload {
    public static final String URL_VARIABLE = "SPOTKEEPER_AGENT_JAR_URL";
    public static final String DIRECTORY = "/opt/spotkeeper";
    /** The agent jar's file name, next to the CLI's jar and on instances. */
    public static final String AGENT_JAR = "spotkeeper-agent.jar";

    private AgentDownload() {
    }

    /** The command for instances on AWS, from the environment of the CLI that configures the controller. */
    public static String forAws(Map<String, String> env) {
        String url = env.getOrDefault(URL_VARIABLE, "").strip();
        return url.isEmpty() ? "java -jar " + DIRECTORY + "/" + AGENT_JAR : command(url, DIRECTORY, "java");
    }

    /**
     * @param url where the agent jar is: {@code s3://…}, {@code https://…} (or {@code file://…}, for a jar already on
     *     the machine)
     * @param directory where it is stored on the instance
     * @param java the java launcher on the instance
     */
    public static String command(String url, String directory, String java) {
        checkUrl(url);
        String jar = directory + "/" + AGENT_JAR;
        String script = "set -e; mkdir -p " + quote(directory) + "; case \"$0\" in"
                + " s3://*) aws s3 cp --only-show-errors \"$0\" " + quote(jar) + ";;"
                + " *) curl -fsSL --retry 5 -o " + quote(jar) + " \"$0\";;"
                + " esac; command -v " + quote(java) + " >/dev/null 2>&1 || dnf install -y -q"
                + " java-17-amazon-corretto-headless; exec " + quote(java) + " -jar " + quote(jar) + " \"$@\"";
        return "/bin/sh -c " + quote(script) + " " + quote(url);
    }

    static void checkUrl(String url) {
        if (!url.matches("(s3|https|file)://\\S+")) {
            throw SpotkeeperException.invalidArgument(URL_VARIABLE + " must say where the agent jar is, as"
                    + " s3://bucket/key or https://host/path/spotkeeper-agent.jar; was '" + url + "'");
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
