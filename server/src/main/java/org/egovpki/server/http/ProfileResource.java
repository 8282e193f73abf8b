package org.egovpki.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.profile.ProfileCatalog;

/** {@code GET /profiles}: the configured certificate profiles and the CA that issues each. */
final class ProfileResource {

    private final ProfileCatalog profiles;

    ProfileResource(ProfileCatalog profiles) {
        this.profiles = profiles;
    }

    void list(ApiCall call) {
        call.json(200, Map.of("profiles", profiles.all().stream().map(e -> {
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
