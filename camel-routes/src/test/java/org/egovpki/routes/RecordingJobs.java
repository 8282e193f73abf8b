package org.egovpki.routes;

import java.util.ArrayList;
import java.util.List;

/** Stands in for {@link CrlJobs} in route tests: the routes call beans by method name. */
public final class RecordingJobs {

    final List<String> afterRevocation = new ArrayList<>();
    int fullRuns;

    public synchronized int issueAllFullCrls() {
        fullRuns++;
        return 0;
    }

    public synchronized void issueAfterRevocation(String caName) {
        afterRevocation.add(caName);
    }

    synchronized List<String> afterRevocation() {
        return List.copyOf(afterRevocation);
    }
}
