package org.egovpki.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.profile.Profiles;

/** {@code GET /profiles}: the certificate profiles in force (as last reloaded) and the CA that issues each. */
final class ProfileResource {

    private final Profiles profiles;

    ProfileResource(Profiles profiles) {
        this.profiles = profiles;
    }

    void list(ApiCall call) {
        call.json(200, Map.of("profiles", profiles.current().all().stream().map(e -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", e.profile().name());
            p.put("type", e.profile().type().name());
            p.put("issuer", e.issuer());
            p.put("validity", e.profile().validity().toString());
            p.put("autoApproveForRa", e.profile().autoApproveForRa());
            p.put("dual", e.profile().dual());
            p.put("description", e.profile().description());
            return p;
        }).toList()));
    }
}
