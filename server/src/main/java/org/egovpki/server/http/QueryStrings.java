package org.egovpki.server.http;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.egovpki.core.DomainException;

/**
 * A request's query string decoded as UTF-8, for the API and the pages alike. Jetty refuses a
 * malformed %-escape or bytes that are not UTF-8 with its own exception ("Bad query"), which no
 * handler of ours maps; here it is a {@code BAD_REQUEST} naming the problem.
 */
public final class QueryStrings {

    /** The refusal of a query string that does not decode. */
    public static final String BAD_QUERY = "the query string is not valid UTF-8 percent-encoding (a %-escape that "
            + "is malformed or not part of a UTF-8 character)";

    private QueryStrings() {
    }

    /** @throws DomainException BAD_REQUEST ({@link #BAD_QUERY}) when the query does not decode */
    public static Fields decode(Request request) {
        try {
            return Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // Jetty 12.1 throws HttpException.IllegalStateException ("400: Bad query"); any HttpException here
            if (!(e instanceof HttpException) && !(e instanceof IllegalArgumentException)) {
                throw e;
            }
            throw DomainException.badRequest(null, BAD_QUERY);
        }
    }
}
