package org.egovpki.server.http;

import org.egovpki.routes.BulkEnrollment;
import org.egovpki.routes.BulkProgress;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /requests}: enter an application (one or a batch), list and read requests, and the
 * reviewer's decisions. Every request is shown as {@link RequestView} with the registration the
 * domain lets the calling operator see.
 */
final class RequestResource {

    private static final Logger LOG = LoggerFactory.getLogger(RequestResource.class);

    private final EnrollmentService enrollment;
    private final BulkEnrollment bulk;

    RequestResource(EnrollmentService enrollment, BulkEnrollment bulk) {
        this.enrollment = enrollment;
        this.bulk = bulk;
    }

    /** {@code POST /requests}: an application, see {@link Submissions}; 201 with its Location. */
    void submit(ApiCall call) {
        EnrollmentRequest created = enrollment.submit(call.operator(), Submissions.parse(call.body()));
        call.created(location(created), view(created, call.operator()));
    }

    /** {@code POST /requests/batch}: {@code {"requests": [...]}}; one result per application, in order. */
    void submitBatch(ApiCall call) {
        Operator operator = call.operator();
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, Set.of("requests"), "");
        JsonNode items = body.path("requests");
        if (!items.isArray()) {
            throw DomainException.badRequest("requests", "a batch is {\"requests\": [ ... ]}");
        }
        if (items.isEmpty() || items.size() > EnrollmentService.MAX_BATCH) {
            throw DomainException.badRequest("requests", "a batch holds 1 to " + EnrollmentService.MAX_BATCH
                    + " applications, this one has " + items.size());
        }
        List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                submissions.add(Submissions.parse(items.get(i)));
            } catch (DomainException e) {
                throw DomainException.badRequest("requests[" + i + "]" + (e.field() == null ? "" : "." + e.field()),
                        "application " + i + " of the batch: " + e.getMessage());
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (EnrollmentService.BatchResult result : bulk.submit(operator, submissions, BulkProgress.NONE)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", result.index());
            if (result.request() != null) {
                item.put("request", view(result.request(), operator));
            } else {
                item.put("error", error(result.error()));
            }
            results.add(item);
        }
        call.json(200, Map.of("results", results));
    }

    /** {@code GET /requests?state=&limit=}: SUBMITTED ones unless asked otherwise. */
    void list(ApiCall call) {
        RequestState state = QueryParams.enumParam(call, "state", RequestState.class, RequestState.SUBMITTED);
        int limit = QueryParams.intParam(call, "limit", 100, 1, 1000);
        call.json(200, Map.of("requests",
                enrollment.list(call.operator(), state, limit).stream().map(r -> view(r, call.operator())).toList()));
    }

    /** {@code GET /requests/{id}}. */
    void get(ApiCall call) {
        call.json(200, view(enrollment.get(call.operator(), call.param("id")), call.operator()));
    }

    /** {@code POST /requests/{id}/approve}: no body is read. */
    void approve(ApiCall call) {
        call.json(200, view(enrollment.approve(call.operator(), call.param("id")), call.operator()));
    }

    /** {@code POST /requests/{id}/reject}: {@code {"reason": "..."}}. */
    void reject(ApiCall call) {
        String id = call.param("id");
        JsonNode body = call.body();
        JsonCodec.rejectUnknown(body, Set.of("reason"), "");
        call.json(200, view(enrollment.reject(call.operator(), id, JsonCodec.text(body, "reason")), call.operator()));
    }

    /** {@code POST /requests/{id}/cancel}: no body is read. */
    void cancel(ApiCall call) {
        call.json(200, view(enrollment.cancel(call.operator(), call.param("id")), call.operator()));
    }

    /** The request as {@code viewer} may see it. */
    Map<String, Object> view(EnrollmentRequest request, Operator viewer) {
        return RequestView.of(request, enrollment.registrationAsSeenBy(viewer, request));
    }

    static String location(EnrollmentRequest request) {
        return ApiHandler.PREFIX + "/requests/" + request.id();
    }

    private static Map<String, Object> error(DomainException e) {
        if (e.isServerFault()) {
            LOG.warn("a batch item failed (incident {}): {}", e.incident(), e.getMessage(), e);
        }
        return HttpResponses.body(e);
    }
}
