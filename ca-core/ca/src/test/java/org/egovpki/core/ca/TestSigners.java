package org.egovpki.core.ca;

import org.bouncycastle.operator.ContentSigner;

/** A CA's content signer for tests outside this package (the signer is package-private on purpose). */
public final class TestSigners {

    private TestSigners() {
    }

    public static ContentSigner of(CaRegistry cas, String name) {
        return cas.find(name).orElseThrow().signer().contentSigner();
    }
}
