package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.egovpki.schema.DirectoryLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the egov-pki tree (the containers of {@code dit.ldif}) and the service accounts, as the
 * directory administrator, idempotently: existing entries are left alone, service account
 * passwords are reset to the data directory's secret on every start. Service accounts name the
 * directory's password policy without lockout ({@code pwdPolicySubentry}), so nobody can lock the
 * CA or the KM out of its directory by guessing their passwords over the LDAP port.
 */
public final class DirectoryProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryProvisioner.class);

    private final LDAPInterface admin;
    private final DirectoryNames names;
    private final SecureRandom random;
    private final String serviceAccountPolicy;

    /**
     * @param serviceAccountPolicy the DN of the directory's password policy without lockout, which the
     *                             service accounts name in {@code pwdPolicySubentry}
     */
    public DirectoryProvisioner(LDAPInterface admin, DirectoryNames names, SecureRandom random,
                                String serviceAccountPolicy) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.names = Objects.requireNonNull(names, "names");
        this.random = Objects.requireNonNull(random, "random");
        this.serviceAccountPolicy = Objects.requireNonNull(serviceAccountPolicy, "serviceAccountPolicy");
    }

    /** Adds every entry of the DIT template that does not exist yet. */
    public void createTree() {
        String ldif = new DirectoryLayout(names.base().toString()).renderDitLdif();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            Entry entry;
            while ((entry = reader.readEntry()) != null) {
                if (admin.getEntry(entry.getDN(), "1.1") == null) {
                    admin.add(entry);
                    LOG.info("Created {}", entry.getDN());
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("creating the directory tree", e);
        } catch (IOException | LDIFException e) {
            throw new IllegalStateException("the bundled DIT template does not parse: " + e.getMessage(), e);
        }
    }

    /** Creates the service account if needed and sets its password to {@code password}. */
    public void ensureServiceAccount(DN dn, String description, char[] password) {
        String hashed = PasswordHashes.ssha256(password, random);
        try {
            if (admin.getEntry(dn.toString(), "1.1") == null) {
                Entry entry = new Entry(dn);
                entry.addAttribute("objectClass", "top", "egovServiceAccount");
                entry.addAttribute("uid", dn.getRDN().getAttributeValues()[0]);
                entry.addAttribute("description", description);
                entry.addAttribute("userPassword", hashed);
                entry.addAttribute("pwdPolicySubentry", serviceAccountPolicy);
                admin.add(entry);
                LOG.info("Created service account {}", dn);
            } else {
                // Also unlocks an account an older version's policy (or a hand-made one) had locked.
                admin.modify(dn.toString(), new Modification(ModificationType.REPLACE, "userPassword", hashed),
                        new Modification(ModificationType.REPLACE, "pwdPolicySubentry", serviceAccountPolicy),
                        new Modification(ModificationType.REPLACE, "pwdAccountLockedTime"),
                        new Modification(ModificationType.REPLACE, "pwdFailureTime"));
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("provisioning service account " + dn, e);
        }
    }
}
