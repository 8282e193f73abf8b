package org.egovpki.server.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTargetStatus;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.core.sync.TargetState;

/**
 * The JSON shape of a sync target: the settings as they were given, minus every secret (only
 * {@code passwordSet} / {@code pkcs12Set} say one is stored), plus its delivery {@code state}.
 * Built field by field from {@link SyncTargetStatus}, which holds no secret to begin with.
 */
final class SyncTargetView {

    private SyncTargetView() {
    }

    static Map<String, Object> of(SyncTargetStatus status) {
        SyncTarget t = status.target();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id());
        v.put("url", t.url().toString());
        v.put("binding", t.binding().name());
        v.put("businessTypes", t.businessTypes().stream().sorted().toList());
        v.put("caIdentifier", t.caIdentifier());
        v.put("authentication", authentication(t.authentication(), status.secretSet()));
        v.put("enabled", t.enabled());
        v.put("schedule", t.schedule());
        v.put("personalData", t.personalData());
        v.put("state", state(status));
        return v;
    }

    static Map<String, Object> list(List<SyncTargetStatus> targets) {
        return Map.of("targets", targets.stream().map(SyncTargetView::of).toList());
    }

    private static Map<String, Object> authentication(SyncTarget.Authentication a, boolean secretSet) {
        Map<String, Object> v = new LinkedHashMap<>();
        switch (a.kind()) {
            case NONE -> v.put("type", SyncTargets.AUTH_NONE);
            case BASIC -> {
                v.put("type", SyncTargets.AUTH_BASIC);
                v.put("username", a.username());
                v.put("passwordSet", secretSet);
            }
            case CLIENT_CERTIFICATE -> {
                v.put("type", SyncTargets.AUTH_CLIENT_CERTIFICATE);
                v.put("pkcs12Set", secretSet);
            }
            default -> throw new IllegalStateException("authentication kind " + a.kind());
        }
        return v;
    }

    private static Map<String, Object> state(SyncTargetStatus status) {
        TargetState s = status.state();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("lastDeliveredSequence", s.lastDelivered());
        v.put("lastEnqueuedSequence", s.lastEnqueued());
        v.put("pending", s.pending());
        v.put("parked", s.parked());
        v.put("attempts", s.attempts());
        v.put("lastError", s.lastError());
        v.put("lastSuccessAt", str(s.lastSuccessAt()));
        v.put("oldestPendingAt", str(status.oldestPendingAt()));
        v.put("nextAttemptAt", str(s.nextAttemptAt()));
        return v;
    }

    private static String str(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
