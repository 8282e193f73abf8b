package org.egovpki.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.egovpki.core.ca.CaDefinition;

/**
 * The whole configuration, validated. Built only by {@link ConfigLoader}; every field is documented
 * with its key and default in {@code conf/egov-pki.yaml}.
 *
 * @param dataDirectory {@code data} — where the directory, key store, secrets and audit trail live
 * @param ldap          {@code ldap.*}
 * @param http          {@code http.*}
 * @param ca            {@code ca.*}
 */
public record EgovPkiConfig(Path dataDirectory, Ldap ldap, Http http, Ca ca) {

    /**
     * @param host      {@code ldap.host} — listen address of the embedded directory
     * @param port      {@code ldap.port}
     * @param baseDn    {@code ldap.baseDn} — suffix of the egov-pki tree
     * @param publicUrl {@code ldap.publicUrl} — LDAP URL written into certificates (CRL DP, SIA)
     */
    public record Ldap(String host, int port, String baseDn, URI publicUrl) {
    }

    /**
     * @param host      {@code http.host}
     * @param port      {@code http.port}
     * @param publicUrl {@code http.publicUrl} — base URL written into certificates (CRL DP, AIA)
     */
    public record Http(String host, int port, URI publicUrl) {
    }

    /**
     * @param definitions the CAs of every enabled chain, parents first
     * @param crl         {@code ca.crl.*}
     */
    public record Ca(List<CaDefinition> definitions, Crl crl) {
        public Ca {
            definitions = List.copyOf(definitions);
        }
    }

    /**
     * @param nextUpdate {@code ca.crl.nextUpdateHours} — nextUpdate minus thisUpdate
     * @param schedule   {@code ca.crl.schedule} — Quartz cron expression for the scheduled full CRL
     * @param timeZone   {@code ca.crl.timeZone} — zone the schedule is read in
     */
    public record Crl(Duration nextUpdate, String schedule, ZoneId timeZone) {
    }
}
