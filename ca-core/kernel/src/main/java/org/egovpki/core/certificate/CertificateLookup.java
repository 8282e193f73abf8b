package org.egovpki.core.certificate;

import java.util.List;

/** The read-only view of certificate records, for the REST API's certificate download and search. */
public interface CertificateLookup {

    List<CertificateRecord> search(CertificateQuery query);
}
