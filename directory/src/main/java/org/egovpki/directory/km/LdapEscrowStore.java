package org.egovpki.directory.km;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.km.centre.EscrowStore;
import org.egovpki.core.km.centre.EscrowedKey;
import org.egovpki.core.km.centre.KeyState;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapValues;

/**
 * Escrowed keys under {@code ou=km} ({@code egovEscrowedKey}), one entry per key:
 * {@code egovKeyId=<id>}. Only the KM's service account can read or write them (see
 * {@code ApacheDsAccessControl}), so {@code ldap} must be bound as that account.
 *
 * <p>State changes are compare-and-swap on {@code egovKeyState}; destroying a key removes
 * {@code egovWrappedPrivateKey} in the same modify, so no entry is ever DESTROYED and still holds
 * its wrapped key, nor loses the key without being marked DESTROYED.
 */
public final class LdapEscrowStore implements EscrowStore {

    private static final String CLASS = "egovEscrowedKey";
    private static final String STATE = "egovKeyState";
    private static final String WRAPPED = "egovWrappedPrivateKey";

    private final KmSubtree km;
    private final DirectoryNames names;

    public LdapEscrowStore(LDAPInterface ldap, DirectoryNames names) {
        this.names = Objects.requireNonNull(names, "names");
        this.km = new KmSubtree(ldap, names);
    }

    @Override
    public boolean add(EscrowedKey key) {
        List<Attribute> a = new ArrayList<>();
        a.add(new Attribute("objectClass", "top", CLASS));
        a.add(new Attribute("egovKeyId", key.keyId()));
        a.add(new Attribute(STATE, key.state().name()));
        a.add(new Attribute("egovIssuerName", key.caName()));
        a.add(new Attribute("egovSerialNumber", key.serialHex()));
        LdapValues.put(a, "egovSubscriberDn", key.subscriberDn());
        a.add(new Attribute("egovEncryptionPublicKey", key.publicKeyInfo()));
        if (key.wrappedPrivateKey() != null) {
            a.add(new Attribute(WRAPPED, key.wrappedPrivateKey()));
        }
        LdapValues.put(a, "egovWrapAlgorithm", key.wrapAlgorithm());
        LdapValues.put(a, "egovKekId", key.kekId());
        a.add(new Attribute("egovEscrowedAt", LdapValues.time(key.escrowedAt())));
        a.add(new Attribute("egovRetainUntil", LdapValues.time(key.retainUntil())));
        if (key.destroyedAt() != null) {
            a.add(new Attribute("egovDestroyedAt", LdapValues.time(key.destroyedAt())));
        }
        return km.add(new Entry(names.escrowedKey(key.keyId()), a), "escrowed key " + key.keyId());
    }

    @Override
    public Optional<EscrowedKey> find(String keyId) {
        return Optional.ofNullable(km.read(names.escrowedKey(keyId), "escrowed key " + keyId))
                .map(LdapEscrowStore::toKey);
    }

    @Override
    public Optional<EscrowedKey> findByCertificate(String caName, BigInteger serial) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", CLASS),
                Filter.createEqualityFilter("egovIssuerName", caName),
                Filter.createEqualityFilter("egovSerialNumber", serial.toString(16)));
        String what = "the escrowed key of certificate " + serial.toString(16) + " of CA " + caName;
        List<SearchResultEntry> found = km.search(filter, 2, what);
        if (found.size() > 1) {
            // The KM generates one key per encryption certificate; two means the directory was edited.
            throw new DomainException(DomainException.Kind.INTERNAL, "two escrowed keys claim certificate "
                    + serial.toString(16) + " of CA " + caName + ": " + found.get(0).getDN() + " and "
                    + found.get(1).getDN() + "; remove the wrong one in the directory");
        }
        return found.stream().findFirst().map(LdapEscrowStore::toKey);
    }

    @Override
    public boolean transition(KeyState expected, EscrowedKey updated) {
        // Everything that may change after escrow: the state, the wrapped key (removed on
        // destruction, or re-wrapped under a new KEK with its algorithm and KEK id), the retention
        // and the destruction time. The key's identity, public key and escrow time never change.
        List<Modification> changes = List.of(
                KmSubtree.replace(WRAPPED, updated.wrappedPrivateKey()),
                KmSubtree.replace("egovWrapAlgorithm", updated.wrapAlgorithm()),
                KmSubtree.replace("egovKekId", updated.kekId()),
                KmSubtree.replace("egovRetainUntil", LdapValues.time(updated.retainUntil())),
                KmSubtree.replace("egovDestroyedAt",
                        updated.destroyedAt() == null ? null : LdapValues.time(updated.destroyedAt())));
        return km.compareAndSwap(names.escrowedKey(updated.keyId()), STATE, expected.name(), updated.state().name(),
                changes, "escrowed key " + updated.keyId());
    }

    @Override
    public List<EscrowedKey> dueForDestruction(Instant now, int limit) {
        Filter filter = Filter.createANDFilter(Filter.createEqualityFilter("objectClass", CLASS),
                Filter.createNOTFilter(Filter.createEqualityFilter(STATE, KeyState.DESTROYED.name())),
                Filter.createLessOrEqualFilter("egovRetainUntil", LdapValues.time(now)));
        List<EscrowedKey> due = new ArrayList<>();
        for (SearchResultEntry entry : km.search(filter, limit, "escrowed keys due for destruction")) {
            due.add(toKey(entry));
        }
        return due;
    }

    private static EscrowedKey toKey(Entry e) {
        try {
            return new EscrowedKey(KmSubtree.required(e, "egovKeyId"), KmSubtree.required(e, "egovIssuerName"),
                    KmSubtree.serial(e), e.getAttributeValue("egovSubscriberDn"),
                    KmSubtree.requiredBinary(e, "egovEncryptionPublicKey"), LdapValues.binary(e, WRAPPED),
                    e.getAttributeValue("egovWrapAlgorithm"), e.getAttributeValue("egovKekId"),
                    KmSubtree.requiredTime(e, "egovEscrowedAt"), KmSubtree.requiredTime(e, "egovRetainUntil"),
                    KmSubtree.parse(KeyState.class, e, STATE), LdapValues.time(e, "egovDestroyedAt"));
        } catch (IllegalArgumentException inconsistent) {
            throw KmSubtree.broken(e, inconsistent);
        }
    }
}
