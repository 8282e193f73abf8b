package org.egovpki.routes;

import java.time.Duration;

/**
 * Sync target commands made in an LDAP browser: every {@code egovpki.approvals.pollMillis} (the
 * period of {@link DirectoryApprovalRoute}) the {@code directorySyncCommands} bean (ca-core's
 * DirectorySyncCommands) finds the command entries CA admins added below sync targets and runs
 * each through the same checks as the REST API, as the operator the directory recorded as the
 * entry's author. Polling for the reasons {@link DirectoryApprovalRoute} gives: one indexed search
 * for the few pending command entries.
 */
public final class DirectorySyncCommandsRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "directory-sync-commands";
    public static final String COMMANDS_BEAN = "directorySyncCommands";

    @Override
    public void configure() {
        // Each poll is a firing of its own: not redelivered, the next poll tries again.
        retryThenLog(0, Duration.ZERO);

        from("timer:directory-sync-commands?period={{egovpki.approvals.pollMillis}}&delay=1000")
                .routeId(ROUTE_ID)
                .bean(COMMANDS_BEAN, "processPending").id("process-directory-sync-commands")
                .filter(body().isGreaterThan(0))
                    .log("Handled ${body} sync target command(s) written in the directory");
    }
}
