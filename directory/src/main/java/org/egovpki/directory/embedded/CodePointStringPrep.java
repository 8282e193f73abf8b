package org.egovpki.directory.embedded;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.exception.LdapInvalidAttributeValueException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.api.ldap.model.schema.LdapComparator;
import org.apache.directory.api.ldap.model.schema.MatchingRule;
import org.apache.directory.api.ldap.model.schema.Normalizer;
import org.apache.directory.api.ldap.model.schema.PrepareString;
import org.apache.directory.api.ldap.model.schema.PreparedNormalizer;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.model.schema.normalizers.DeepTrimNormalizer;
import org.apache.directory.api.ldap.model.schema.normalizers.DeepTrimToLowerNormalizer;
import org.apache.directory.api.ldap.model.schema.registries.ComparatorRegistry;
import org.apache.directory.api.util.exception.InvalidCharacterException;

/**
 * RFC 4518 string preparation that works on Unicode code points, for ApacheDS's string matching
 * rules ({@code caseIgnoreMatch}, {@code caseExactMatch} and their substring and ordering rules).
 *
 * <p>Why: ApacheDS's own preparation (api-ldap-model {@code PrepareString}) works on Java
 * {@code char}s. It takes the two halves of a character outside the Basic Multilingual Plane for
 * RFC 3454's prohibited "surrogate codes" and refuses the value ({@code ERR_13247 ... can't be
 * normalized}), and its case mapping garbles them. So every name holding a CJK Extension B-G
 * character (GB 18030's supplementary characters, common in Chinese personal names: U+20000
 * 𠀀 ...) could not be stored in {@code cn}, {@code egovRealName}, {@code egovSubjectDn} or any
 * directory string, nor searched for.
 *
 * <p>What: a value without surrogates is prepared by ApacheDS's own normaliser, unchanged, so
 * existing index keys stay valid. A value with supplementary characters is prepared by the same
 * RFC 4518 steps per code point: map (ApacheDS's mapping for BMP runs; NFKC then simple case
 * folding for a supplementary character), normalise (NFKC), prohibit (ApacheDS's table for BMP
 * characters; private use planes 15-16, non-characters, language tags, unpaired surrogates and
 * unassigned code points), then insignificant space handling. Prohibited values are refused with
 * {@code invalidAttributeSyntax}, as ApacheDS refuses prohibited BMP characters.
 */
final class CodePointStringPrep extends Normalizer implements PreparedNormalizer {

    private static final long serialVersionUID = 1L;

    private final transient PreparedNormalizer bmp;
    private final boolean ignoreCase;

    CodePointStringPrep(String oid, PreparedNormalizer bmp, boolean ignoreCase) {
        super(oid);
        this.bmp = bmp;
        this.ignoreCase = ignoreCase;
    }

    /**
     * Puts code point preparation on every matching rule whose normaliser is ApacheDS's
     * char-based RFC 4518 one, with a comparator that prepares the same way, also in the
     * comparator registry (the partitions' indices look their comparators up there).
     *
     * @return the OIDs of the matching rules changed
     */
    static List<String> install(SchemaManager schemaManager) throws LdapException {
        List<String> changed = new ArrayList<>();
        for (MatchingRule rule : schemaManager.getMatchingRuleRegistry()) {
            Normalizer original = rule.getNormalizer();
            boolean ignoreCase;
            if (original instanceof DeepTrimToLowerNormalizer) {
                ignoreCase = true;
            } else if (original instanceof DeepTrimNormalizer) {
                ignoreCase = false;
            } else {
                continue;
            }
            CodePointStringPrep prep = new CodePointStringPrep(original.getOid(), (PreparedNormalizer) original,
                    ignoreCase);
            // The loaded schema's objects are locked against change; this is the one deliberate change.
            Comparator comparator = new Comparator(rule.getOid(), prep);
            rule.unlock();
            rule.setNormalizer(prep);
            rule.setLdapComparator(comparator);
            rule.lock();
            ComparatorRegistry comparators = schemaManager.getRegistries().getComparatorRegistry();
            if (comparators.contains(rule.getOid())) {
                LdapComparator<?> registered = comparators.unregister(rule.getOid());
                comparator.setSchemaName(registered.getSchemaName());
                comparators.register(comparator);
            }
            changed.add(rule.getOid());
        }
        return changed;
    }

    @Override
    public String normalize(String value) throws LdapException {
        return normalize(value, PrepareString.AssertionType.ATTRIBUTE_VALUE);
    }

    @Override
    public String normalize(String value, PrepareString.AssertionType assertionType) throws LdapException {
        if (value == null || !hasSurrogate(value)) {
            return bmp.normalize(value, assertionType);
        }
        String prepared = java.text.Normalizer.normalize(map(value), Form.NFKC);
        checkProhibited(prepared);
        char[] chars = prepared.toCharArray();
        return switch (assertionType) {
            case SUBSTRING_INITIAL -> PrepareString.insignificantSpacesStringInitial(chars);
            case SUBSTRING_ANY -> PrepareString.insignificantSpacesStringAny(chars);
            case SUBSTRING_FINAL -> PrepareString.insignificantSpacesStringFinal(chars);
            case ATTRIBUTE_VALUE -> PrepareString.insignificantSpacesStringValue(chars);
        };
    }

    /** RFC 4518 §2.2: BMP runs through ApacheDS's mapping table, supplementary characters folded here. */
    private String map(String value) {
        StringBuilder out = new StringBuilder(value.length());
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isBmpCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                run.appendCodePoint(codePoint);
                continue;
            }
            out.append(mapBmp(run));
            run.setLength(0);
            if (Character.isSupplementaryCodePoint(codePoint) && ignoreCase) {
                // B.2 folds e.g. MATHEMATICAL BOLD CAPITAL A to 'a': NFKC first, then fold what it became.
                String compatible = java.text.Normalizer.normalize(Character.toString(codePoint), Form.NFKC);
                if (compatible.codePoints().allMatch(Character::isBmpCodePoint)) {
                    out.append(mapBmp(new StringBuilder(compatible)));
                } else {
                    compatible.codePoints().map(Character::toUpperCase).map(Character::toLowerCase)
                            .forEach(out::appendCodePoint);
                }
            } else {
                out.appendCodePoint(codePoint); // an unpaired surrogate is refused by checkProhibited
            }
        }
        return out.append(mapBmp(run)).toString();
    }

    private String mapBmp(StringBuilder run) {
        if (run.isEmpty()) {
            return "";
        }
        return ignoreCase ? PrepareString.mapIgnoreCase(run.toString()) : PrepareString.mapCaseSensitive(run.toString());
    }

    /** RFC 4518 §2.4 with RFC 3454 tables C.3-C.9 and unassigned code points, per code point. */
    private static void checkProhibited(String value) throws LdapInvalidAttributeValueException {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isBmpCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                try {
                    PrepareString.checkProhibited(new char[] {(char) codePoint});
                } catch (InvalidCharacterException e) {
                    throw prohibited(codePoint);
                }
            } else if (isProhibitedOutsideBmp(codePoint)) {
                throw prohibited(codePoint);
            }
        }
    }

    /**
     * Unpaired surrogates, private use planes, non-characters, format characters such as the
     * language tags (RFC 3454 C.3-C.5, C.9) and unassigned code points. Ideographic variation
     * selectors (U+E0100-E01EF), used with CJK names, are allowed.
     */
    static boolean isProhibitedOutsideBmp(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                || type == Character.FORMAT || (codePoint & 0xFFFE) == 0xFFFE;
    }

    private static LdapInvalidAttributeValueException prohibited(int codePoint) {
        return new LdapInvalidAttributeValueException(ResultCodeEnum.INVALID_ATTRIBUTE_SYNTAX,
                String.format("the value holds the prohibited character U+%04X (RFC 4518 §2.4)", codePoint));
    }

    private static boolean hasSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Orders two values by their prepared forms; values that cannot be prepared compare as given. */
    static final class Comparator extends LdapComparator<String> {

        private static final long serialVersionUID = 1L;

        private final transient CodePointStringPrep prep;

        Comparator(String oid, CodePointStringPrep prep) {
            super(oid);
            this.prep = prep;
        }

        @Override
        public int compare(String a, String b) {
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : -1) : 1;
            }
            return prepared(a).compareTo(prepared(b));
        }

        private String prepared(String value) {
            try {
                return prep.normalize(value);
            } catch (LdapException e) {
                return value;
            }
        }
    }
}
