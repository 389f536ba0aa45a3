package dev.spotkeeper.emulator.services.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Makes a ListObjects (v1 or v2) answer of a file-backed store read as AWS's: the store keeps objects in
 * directories and lists each directory as a key ({@code dir/}, {@code dir/sub/}, Size 4096), which AWS never
 * does, so those are dropped and {@code KeyCount} counted again; a real zero-byte {@code marker/} object (one a
 * client put) stays, with Size 0. Anything that is not a ListBucketResult passes unchanged.
 */
final class S3Listings {
    private S3Listings() {
    }

    /**
     * @param phantom {@code (bucket, key)} is a directory the store made, not an object a client put
     */
    static byte[] objectsOnly(byte[] xml, String bucket, BiPredicate<String, String> phantom) {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            doc = builder.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            return xml;
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("ListBucketResult")) {
            return xml;
        }
        boolean urlEncoded = "url".equals(text(root, "EncodingType"));
        List<Element> contents = children(root, "Contents");
        boolean changed = false;
        for (Element c : contents) {
            String key = text(c, "Key");
            boolean directoryLike = key != null && (key.endsWith("/") || urlEncoded && key.endsWith("%2F"));
            if (!directoryLike) {
                continue;
            }
            String decoded = urlEncoded ? URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8) : key;
            if (phantom.test(bucket, decoded)) {
                root.removeChild(c);
            } else {
                set(c, "Size", "0");
            }
            changed = true;
        }
        if (!changed) {
            return xml;
        }
        Element keyCount = first(root, "KeyCount");
        if (keyCount != null) {
            keyCount.setTextContent(String.valueOf(children(root, "Contents").size()
                    + children(root, "CommonPrefixes").size()));
        }
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            return xml;
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element first(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String name) {
        Element e = first(parent, name);
        return e == null ? null : e.getTextContent();
    }

    private static void set(Element parent, String name, String value) {
        Element e = first(parent, name);
        if (e != null) {
            e.setTextContent(value);
        }
    }
}
