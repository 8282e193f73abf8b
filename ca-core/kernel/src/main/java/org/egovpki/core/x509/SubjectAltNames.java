package org.egovpki.core.x509;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.egovpki.core.DomainException;

/**
 * SubjectAltName entries for device certificates: dNSName and iPAddress only.
 *
 * <p>Invariants of what it returns: DNS names are ASCII (IA5String) host names, labels of
 * letters, digits and hyphens of 1 to 63 characters, 253 characters at most, optionally with a
 * leading {@code *.} wildcard label; IP addresses are exactly 4 (IPv4) or 16 (IPv6) octets,
 * parsed from text without any name lookup; no entry appears twice. IPv4 must be dotted quad
 * with decimal octets without leading zeros ({@code 010.0.0.1} is refused, not read as octal or
 * decimal); IPv6 must be a plain literal without zone ID, brackets or prefix length, and an
 * IPv4-mapped IPv6 literal is refused (write the IPv4 address). Bouncy Castle's own
 * {@code GeneralName(iPAddress, String)} is not used because it also accepts {@code addr/mask}
 * and then encodes 8 or 32 octets, which is a name-constraints form, not an address.
 */
final class SubjectAltNames {

    static final String HOST_NAMES_FIELD = "registration.hostNames";
    static final String IP_ADDRESSES_FIELD = "registration.ipAddresses";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final int MAX_DNS_NAME = 253;

    private SubjectAltNames() {
    }

    /**
     * The SAN value for the given names, or {@code null} when both lists are empty.
     *
     * @throws DomainException BAD_REQUEST naming {@value #HOST_NAMES_FIELD} or
     *     {@value #IP_ADDRESSES_FIELD} for a malformed or repeated entry
     */
    static GeneralNames of(List<String> dnsNames, List<String> ipAddresses) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            return null;
        }
        List<GeneralName> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String dnsName : dnsNames) {
            requireDnsName(dnsName);
            if (!seen.add(dnsName.toLowerCase(Locale.ROOT))) {
                throw DomainException.badRequest(HOST_NAMES_FIELD, "host name \"" + dnsName + "\" is listed twice; list it once");
            }
            names.add(new GeneralName(GeneralName.dNSName, dnsName));
        }
        Set<String> seenAddresses = new HashSet<>();
        for (String ipAddress : ipAddresses) {
            byte[] octets = ipAddress(ipAddress);
            if (!seenAddresses.add(HexFormat.of().formatHex(octets))) {
                throw DomainException.badRequest(IP_ADDRESSES_FIELD, "IP address \"" + ipAddress
                        + "\" is listed twice (perhaps in another notation); list it once");
            }
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(octets)));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static void requireDnsName(String dnsName) {
        if (dnsName == null || dnsName.isEmpty()) {
            throw DomainException.badRequest(HOST_NAMES_FIELD, "a host name is empty; remove it or give the name");
        }
        if (dnsName.length() > MAX_DNS_NAME) {
            throw DomainException.badRequest(HOST_NAMES_FIELD, "host name \"" + dnsName + "\" is longer than "
                    + MAX_DNS_NAME + " characters");
        }
        String[] labels = dnsName.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            boolean wildcard = i == 0 && labels.length > 2 && labels[0].equals("*");
            if (!wildcard && !LABEL.matcher(labels[i]).matches()) {
                throw DomainException.badRequest(HOST_NAMES_FIELD, "host name \"" + dnsName + "\" is not a DNS name:"
                        + " use ASCII labels of letters, digits and inner hyphens separated by dots (IDNs in"
                        + " their xn-- form), optionally starting with \"*.\"");
            }
        }
    }

    /** 4 or 16 octets of a strictly written IP literal. */
    static byte[] ipAddress(String text) {
        if (text == null || text.isEmpty()) {
            throw DomainException.badRequest(IP_ADDRESSES_FIELD, "an IP address is empty; remove it or give the address");
        }
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] octets = new byte[4];
            for (int i = 0; i < 4; i++) {
                octets[i] = (byte) Integer.parseInt(parts[i]);
            }
            return octets;
        }
        // Only hex digits, colons and dots, at least one colon: InetAddress then parses a literal
        // and never resolves a name.
        if (text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches()) {
            InetAddress address;
            try {
                address = InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                address = null;
            }
            if (address instanceof Inet6Address) {
                return address.getAddress();
            }
            if (address != null) {
                throw DomainException.badRequest(IP_ADDRESSES_FIELD, "IP address \"" + text
                        + "\" is an IPv4-mapped IPv6 address; write it as the IPv4 address " + address.getHostAddress());
            }
        }
        throw DomainException.badRequest(IP_ADDRESSES_FIELD, "\"" + text + "\" is not an IP address: write IPv4 as"
                + " four decimal octets without leading zeros (192.0.2.1) or IPv6 as a plain literal (2001:db8::1)");
    }
}
