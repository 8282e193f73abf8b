package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.egovpki.core.enroll.validation.RegistrationData;

/**
 * Conversions between domain values and LDAP attribute values, shared by the stores (the KM's
 * stores in {@code org.egovpki.directory.km} too, hence public).
 */
public final class LdapValues {

    private LdapValues() {
    }

    /**
     * GeneralizedTime, UTC, milliseconds: {@code yyyyMMddHHmmss.SSSZ} in the Gregorian calendar whatever
     * the JVM's default locale (the SDK's encoder follows it: a Thai default locale wrote Buddhist years).
     */
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter
            .ofPattern("uuuuMMddHHmmss.SSS'Z'", Locale.ROOT).withChronology(IsoChronology.INSTANCE)
            .withZone(ZoneOffset.UTC);

    public static String time(Instant instant) {
        return GENERALIZED_TIME.format(instant);
    }

    /**
     * The attribute's GeneralizedTime value, {@code null} if it has none or it is not a time (as the
     * SDK's {@code getAttributeValueAsDate} answers).
     */
    public static Instant time(Entry entry, String attribute) {
        return time(entry.getAttributeValue(attribute));
    }

    /** A GeneralizedTime value, {@code null} if {@code value} is null or not a time. */
    public static Instant time(String value) {
        if (value == null) {
            return null;
        }
        Instant fast = utcTime(value);
        if (fast != null) {
            return fast;
        }
        try {
            return StaticUtils.decodeGeneralizedTime(value).toInstant();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The form egov-pki writes and both directories return, {@code yyyyMMddHHmmss[.f{1,3}]Z} from the
     * year 1583, read without the SDK's {@code SimpleDateFormat} per value (a quarter of a million-entry
     * CRL build's CPU went there); {@code null} for any other form, which the SDK then reads as before
     * (longer fractions, offsets, the Julian years before 1583).
     */
    static Instant utcTime(String value) {
        int length = value.length();
        if (length < 15 || value.charAt(length - 1) != 'Z') {
            return null;
        }
        int nanos = 0;
        if (length > 15) {
            int digits = length - 16;
            if (value.charAt(14) != '.' || digits < 1 || digits > 3) {
                return null;
            }
            int fraction = digits(value, 15, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 4, 6);
        int day = digits(value, 6, 8);
        int hour = digits(value, 8, 10);
        int minute = digits(value, 10, 12);
        int second = digits(value, 12, 14);
        if (year < 1583 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code value[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String value, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    public static String bool(boolean value) {
        return value ? "TRUE" : "FALSE";
    }

    /**
     * Reads a binary attribute by its base name, whether the server returned it with ;binary or
     * not (ApacheDS and OpenLDAP differ; we always write ;binary).
     */
    public static byte[] binary(Entry entry, String baseName) {
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().equalsIgnoreCase(baseName) && attribute.hasValue()) {
                return attribute.getValueByteArray();
            }
        }
        return null;
    }

    public static boolean bool(Entry entry, String attribute) {
        return "TRUE".equalsIgnoreCase(entry.getAttributeValue(attribute));
    }

    /** Adds the attribute only when it has a value: LDAP has no empty values. */
    public static void put(List<Attribute> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.add(new Attribute(name, value));
        }
    }

    public static void put(List<Attribute> attributes, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            attributes.add(new Attribute(name, values));
        }
    }

    public static List<String> values(Entry entry, String attribute) {
        String[] values = entry.getAttributeValues(attribute);
        return values == null ? List.of() : Arrays.asList(values);
    }

    /** The attributes that hold registration data, on request entries and registration entries alike. */
    static final List<String> REGISTRATION_ATTRIBUTES = List.of("egovRealName", "egovIdType", "egovIdNumber",
            "telephoneNumber", "mail", "o", "egovLegalName", "egovUscc", "egovOrganizationCode", "egovAgentName",
            "egovAgentPhone", "egovAgentEmail", "egovAgentIdNumber", "egovHostName", "egovIpAddress", "egovOwner");

    static List<Attribute> registration(RegistrationData r) {
        List<Attribute> attributes = new ArrayList<>();
        put(attributes, "egovRealName", r.realName());
        put(attributes, "egovIdType", r.idType());
        put(attributes, "egovIdNumber", r.idNumber());
        put(attributes, "telephoneNumber", r.phone());
        put(attributes, "mail", r.email());
        put(attributes, "o", r.organization());
        put(attributes, "egovLegalName", r.legalName());
        put(attributes, "egovUscc", r.uscc());
        put(attributes, "egovOrganizationCode", r.organizationCode());
        put(attributes, "egovAgentName", r.agentName());
        put(attributes, "egovAgentPhone", r.agentPhone());
        put(attributes, "egovAgentEmail", r.agentEmail());
        put(attributes, "egovAgentIdNumber", r.agentIdNumber());
        put(attributes, "egovHostName", r.hostNames());
        put(attributes, "egovIpAddress", r.ipAddresses());
        put(attributes, "egovOwner", r.owner());
        return attributes;
    }

    static RegistrationData registration(Entry e) {
        return new RegistrationData(e.getAttributeValue("egovRealName"), e.getAttributeValue("egovIdType"),
                e.getAttributeValue("egovIdNumber"), e.getAttributeValue("telephoneNumber"),
                e.getAttributeValue("mail"), e.getAttributeValue("o"), e.getAttributeValue("egovLegalName"),
                e.getAttributeValue("egovUscc"), e.getAttributeValue("egovOrganizationCode"),
                e.getAttributeValue("egovAgentName"), e.getAttributeValue("egovAgentPhone"),
                e.getAttributeValue("egovAgentEmail"), e.getAttributeValue("egovAgentIdNumber"),
                values(e, "egovHostName"), values(e, "egovIpAddress"), e.getAttributeValue("egovOwner"));
    }
}
