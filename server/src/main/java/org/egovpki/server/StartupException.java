package org.egovpki.server;

/**
 * A reason start-up cannot continue that the operator can fix (busy port, locked data directory,
 * bad configuration). The launcher prints its message as one line, without a stack trace, and
 * exits non-zero.
 */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}
