package dev.spotkeeper.spec.yaml;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.workload.SpecNode;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.core.workload.WorkloadSpecReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads workload files: YAML (SnakeYAML's node tree, which keeps line numbers) into a validated {@link WorkloadSpec}. */
public final class YamlSpecs {
    private YamlSpecs() {
    }

    public static WorkloadSpec read(Path file) {
        return parse(file.toString(), text(file));
    }

    /**
     * The file's text, refusing what is not a workload file at all: a binary file (it holds NUL bytes), or text
     * that is not UTF-8 (YAML files are UTF-8; the error names the line of the first bad byte).
     */
    public static String text(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw SpotkeeperException.invalidArgument("cannot read workload file " + file + ": " + e.getMessage());
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw SpotkeeperException.malformedFile(file.toString(), 0, "is a binary file, not a workload file"
                        + " (YAML text such as `name: train` and `run: python train.py`); give the workload's .yaml file");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw SpotkeeperException.malformedFile(file.toString(), line, String.format(Locale.ROOT,
                    "is not UTF-8 text (byte 0x%02x at offset %d); save the file as UTF-8 (most editors offer it"
                    + " under \"Save with encoding\"; `iconv -f latin1 -t utf-8` converts it)", bytes[at] & 0xff, at));
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // Some editors start UTF-8 files with a byte-order mark; it is not part of the document.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    public static WorkloadSpec parse(String name, String text) {
        return WorkloadSpecReader.read(name, tree(name, text));
    }

    /** A spec accepted at submit, read again: see {@link WorkloadSpecReader#readAccepted}. */
    public static WorkloadSpec parseAccepted(String name, String text) {
        return WorkloadSpecReader.readAccepted(name, tree(name, text));
    }

    public static WorkloadSpec readAccepted(Path file) {
        return parseAccepted(file.toString(), text(file));
    }

    /**
     * The same workload text with {@code buckets.checkpoints} set to {@code url}, for a file that leaves it out (or
     * empty): every other line stays as written, so the stored spec is the user's file plus that one value.
     */
    public static String withCheckpoints(String name, String text, String url) {
        Node root = compose(name, text);
        if (!(root instanceof MappingNode map)) {
            throw SpotkeeperException.malformedFile(name, 1, "the document must be a mapping of keys to values");
        }
        if (tuple(map, "buckets") == null && map.getFlowStyle() != DumperOptions.FlowStyle.FLOW) {
            // At the end reads best; a file that ends its document with "..." takes it at the top instead.
            String appended = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "buckets:\n  checkpoints: "
                    + url + "\n";
            if (setsCheckpoints(name, appended, url)) {
                return appended;
            }
        }
        String changed = insertCheckpoints(text, map, url);
        if (!setsCheckpoints(name, changed, url)) {
            throw SpotkeeperException.malformedFile(name, 0, "cannot add buckets.checkpoints to this file; add"
                    + " `buckets: {checkpoints: " + url + "}` yourself");
        }
        return changed;
    }

    private static boolean setsCheckpoints(String name, String text, String url) {
        try {
            return parse(name, text).buckets().checkpoints().equals(url);
        } catch (SpotkeeperException e) {
            return false;
        }
    }

    private static String insertCheckpoints(String text, MappingNode root, String url) {
        NodeTuple buckets = tuple(root, "buckets");
        if (buckets == null) {
            if (root.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
                return insert(text, index(text, root.getStartMark()) + 1, "buckets: {checkpoints: " + url + "}, ");
            }
            Node first = root.getValue().get(0).getKeyNode();
            return insert(text, index(text, first.getStartMark()), "buckets: {checkpoints: " + url + "}\n"
                    + " ".repeat(first.getStartMark().getColumn()));
        }
        Node value = buckets.getValueNode();
        if (!(value instanceof MappingNode m)) {
            return replaceValue(text, buckets, "{checkpoints: " + url + "}");
        }
        NodeTuple existing = tuple(m, "checkpoints");
        if (existing != null) {
            return replaceValue(text, existing, url);
        }
        if (m.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
            return insert(text, index(text, m.getStartMark()) + 1,
                    "checkpoints: " + url + (m.getValue().isEmpty() ? "" : ", "));
        }
        Node first = m.getValue().get(0).getKeyNode();
        return insert(text, index(text, first.getStartMark()), "checkpoints: " + url + "\n"
                + " ".repeat(first.getStartMark().getColumn()));
    }

    /** Replaces an empty or null value ({@code key:}, {@code key: ~}, {@code key: ""}) with {@code replacement}. */
    private static String replaceValue(String text, NodeTuple tuple, String replacement) {
        Node value = tuple.getValueNode();
        int start = index(text, value.getStartMark());
        int end = index(text, value.getEndMark());
        if (start == end) {
            int colon = text.indexOf(':', index(text, tuple.getKeyNode().getEndMark()));
            return insert(text, colon + 1, " " + replacement);
        }
        return text.substring(0, start) + replacement + text.substring(end);
    }

    private static NodeTuple tuple(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    /** SnakeYAML counts code points; Java strings count UTF-16 units. */
    private static int index(String text, org.yaml.snakeyaml.error.Mark mark) {
        return text.offsetByCodePoints(0, mark.getIndex());
    }

    private static String insert(String text, int at, String what) {
        return text.substring(0, at) + what + text.substring(at);
    }

    /** The line of a key such as {@code requirements.regions} in the tree, 0 when the file does not have it. */
    public static int lineOf(SpecNode root, String keyPath) {
        SpecNode node = root;
        int line = 0;
        for (String key : keyPath.split("\\.")) {
            if (!(node instanceof SpecNode.Mapping m) || !m.keyLines().containsKey(key)) {
                return line;
            }
            line = m.keyLines().get(key);
            node = m.entries().get(key);
        }
        return line;
    }

    /** The YAML document as a {@link SpecNode} tree; syntax errors name the line. */
    public static SpecNode tree(String name, String text) {
        return convert(name, compose(name, text));
    }

    private static Node compose(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            throw SpotkeeperException.malformedFile(name, line, "not valid YAML: " + problem);
        } catch (YAMLException e) {
            throw SpotkeeperException.malformedFile(name, 0, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw SpotkeeperException.malformedFile(name, 1, "the file is empty; a workload needs at least name and run");
        }
        return root;
    }

    private static SpecNode convert(String name, Node node) {
        int line = node.getStartMark().getLine() + 1;
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) {
                return new SpecNode.Empty(line);
            }
            return new SpecNode.Scalar(s.getValue(), line);
        }
        if (node instanceof SequenceNode seq) {
            List<SpecNode> items = new ArrayList<>();
            for (Node n : seq.getValue()) {
                items.add(convert(name, n));
            }
            return new SpecNode.Sequence(items, line);
        }
        MappingNode map = (MappingNode) node;
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw SpotkeeperException.malformedFile(name, t.getKeyNode().getStartMark().getLine() + 1, "keys must be plain words");
            }
            if (entries.containsKey(key.getValue())) {
                throw SpotkeeperException.malformedFile(name, key.getStartMark().getLine() + 1, "duplicate key '"
                        + key.getValue() + "' (first at line " + keyLines.get(key.getValue()) + "); keep one of them");
            }
            entries.put(key.getValue(), convert(name, t.getValueNode()));
            keyLines.put(key.getValue(), key.getStartMark().getLine() + 1);
        }
        return new SpecNode.Mapping(entries, keyLines, line);
    }
}
