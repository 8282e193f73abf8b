package org.egovpki.server.sync;

import java.text.ParseException;
import java.util.Optional;
import org.egovpki.core.sync.SyncTargets;
import org.quartz.CronExpression;

/**
 * The cron grammar of a batch target's schedule: Quartz's, the scheduler the delivery's batch
 * routes run on (camel-quartz), so a schedule accepted here is one they can run. The domain cannot
 * see Quartz; it asks through {@link SyncTargets.ScheduleSyntax}.
 */
public final class QuartzCronSyntax implements SyncTargets.ScheduleSyntax {

    @Override
    public Optional<String> problem(String cron) {
        try {
            CronExpression.validateExpression(cron);
            return Optional.empty();
        } catch (ParseException e) {
            return Optional.of(e.getMessage() == null ? "not a valid Quartz cron expression" : e.getMessage());
        }
    }
}
