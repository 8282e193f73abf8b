package org.egovpki.core.stats;

import java.util.Objects;

/**
 * The dimensions a figure is counted under: business type, region, certificate type and (for
 * revocations) the cause. A value that was not recorded is {@link #NONE}.
 *
 * @param businessType the e-government business
 * @param region       the administrative region code
 * @param type         the certificate type ({@code CertificateType} name)
 * @param cause        the revocation reason ({@code RevocationReason} name), {@link #NONE} for other figures
 */
public record Cell(String businessType, String region, String type, String cause) {

    /** Stands for a dimension with no recorded value. */
    public static final String NONE = "-";

    public Cell {
        businessType = orNone(businessType);
        region = orNone(region);
        type = orNone(type);
        cause = orNone(cause);
    }

    /** This cell's value of a grouping dimension. */
    public String value(GroupBy groupBy) {
        return switch (Objects.requireNonNull(groupBy, "groupBy")) {
            case NONE -> "all";
            case BUSINESS_TYPE -> businessType;
            case REGION -> region;
            case TYPE -> type;
            case CAUSE -> cause;
        };
    }

    /** The scope's view of the business type: {@code null} when none was recorded. */
    String businessTypeOrNull() {
        return NONE.equals(businessType) ? null : businessType;
    }

    private static String orNone(String value) {
        return value == null || value.isBlank() ? NONE : value.strip();
    }
}
