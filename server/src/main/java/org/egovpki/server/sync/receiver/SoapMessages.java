package org.egovpki.server.sync.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The SOAP 1.1 binding's envelopes (docs/sync.md, "SOAP binding"): reads the event bytes and the
 * signature out of a {@code sync:deliver} request with a parser that refuses DTDs and external
 * entities, and writes the answers.
 */
final class SoapMessages {

    static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String SYNC_NS = "urn:egov-pki:sync:1";
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";

    /** The event body and the signature a {@code deliver} request carries. */
    record Delivery(byte[] body, byte[] signature) {
    }

    /** The envelope is not a well-formed {@code deliver} request. */
    static final class MalformedEnvelopeException extends Exception {
        MalformedEnvelopeException(String message) {
            super(message);
        }
    }

    private SoapMessages() {
    }

    static Delivery parse(byte[] envelope) throws MalformedEnvelopeException {
        Document document;
        try {
            document = secureBuilder().parse(new ByteArrayInputStream(envelope));
        } catch (SAXException | IOException e) {
            throw new MalformedEnvelopeException("the SOAP envelope is not well-formed XML (DTDs are refused): "
                    + e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!SOAP_NS.equals(root.getNamespaceURI()) || !"Envelope".equals(root.getLocalName())) {
            throw new MalformedEnvelopeException("the document is not a SOAP 1.1 Envelope (" + SOAP_NS + ")");
        }
        Element body = child(root, SOAP_NS, "Body");
        Element deliver = child(body, SYNC_NS, "deliver");
        return new Delivery(base64(child(deliver, SYNC_NS, "event")), base64(child(deliver, SYNC_NS, "signature")));
    }

    private static Element child(Element parent, String namespace, String name) throws MalformedEnvelopeException {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new MalformedEnvelopeException("no {" + namespace + "}" + name + " in " + parent.getLocalName());
    }

    private static byte[] base64(Element element) throws MalformedEnvelopeException {
        try {
            return Base64.getMimeDecoder().decode(element.getTextContent().strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedEnvelopeException(element.getLocalName() + " is not base64: " + e.getMessage());
        }
    }

    private static DocumentBuilder secureBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely: " + e.getMessage(), e);
        }
    }

    /** The answer to a delivered (or duplicate) message. */
    static byte[] accepted() {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"" + SOAP_NS + "\"><soap:Body>"
                + "<sync:deliverResponse xmlns:sync=\"" + SYNC_NS + "\"><sync:accepted>true</sync:accepted>"
                + "</sync:deliverResponse></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    /** A SOAP 1.1 Fault: {@code soap:Client} for a message refused, {@code soap:Server} otherwise. */
    static byte[] fault(boolean client, String reason) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soap:Envelope xmlns:soap=\"" + SOAP_NS + "\"><soap:Body><soap:Fault>"
                + "<faultcode>soap:" + (client ? "Client" : "Server") + "</faultcode>"
                + "<faultstring>" + escape(reason) + "</faultstring>"
                + "</soap:Fault></soap:Body></soap:Envelope>").getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
