package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.egovpki.core.ca.CrlRecord;
import org.junit.jupiter.api.Test;

/**
 * The CRL bytes that reach the LDAP SDK are the record's own array, not a copy: a full CRL of a
 * million entries is ~49 MB, which the SDK's encoder already holds three times over while it
 * writes the modify (docs/directory.md, "Large CRLs"); a copy on our side would be a fourth.
 */
class LdapCaRepositoryCrlCopiesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

    private final List<List<Modification>> modifies = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private final LDAPInterface ldap = (LDAPInterface) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {LDAPInterface.class}, (proxy, method, args) -> {
                if (method.getName().equals("modify") && args.length == 2 && args[1] instanceof List<?> mods) {
                    modifies.add(List.copyOf((List<Modification>) mods));
                    return new LDAPResult(1, ResultCode.SUCCESS);
                }
                throw new UnsupportedOperationException(method.getName() + " is not expected here");
            });

    @Test
    void theFullAndDeltaCrlsAreHandedToTheSdkWithoutACopyAndUnchanged() {
        byte[] der = new byte[200_000];
        new Random(13).nextBytes(der);
        CrlRecord full = new CrlRecord(BigInteger.valueOf(5), NOW, NOW.plusSeconds(3600), der);
        CrlRecord delta = new CrlRecord(BigInteger.valueOf(6), NOW, NOW.plusSeconds(3600), new byte[] {0x30, 0});

        boolean published = new LdapCaRepository(ldap, new DirectoryNames("dc=egov,dc=test"))
                .publishCrl("sm2-issuing", BigInteger.valueOf(3), full, delta);

        assertThat(published).isTrue();
        assertThat(modifies).hasSize(1);
        assertThat(value(modifies.get(0), LdapCaRepository.AT_CRL)).isSameAs(full.sharedDer()).isEqualTo(der);
        assertThat(value(modifies.get(0), LdapCaRepository.AT_DELTA)).isSameAs(delta.sharedDer());
        assertThat(modifies.get(0)).as("the compare-and-swap of the number is still in the same modify")
                .anySatisfy(m -> {
                    assertThat(m.getModificationType()).isEqualTo(ModificationType.DELETE);
                    assertThat(m.getAttributeName()).isEqualTo(LdapCaRepository.AT_CRL_NUMBER);
                    assertThat(m.getValues()).containsExactly("3");
                });
    }

    private static byte[] value(List<Modification> mods, String attribute) {
        return mods.stream().filter(m -> m.getAttributeName().equals(attribute)).findFirst().orElseThrow()
                .getRawValues()[0].getValue();
    }
}
