package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

class CrlScheduleRouteTest {

    @Test
    void theConfiguredCronFiresTheNextFullCrlAtMidnightInTheConfiguredZone() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri("0 0 0 * * ?"));
        properties.setProperty("egovpki.crl.timeZone", "Asia/Shanghai");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind(CrlScheduleRoute.JOBS_BEAN, new RecordingJobs());
        camel.addRoutes(new CrlScheduleRoute());
        try {
            camel.start();

            assertThat(camel.getRouteController().getRouteStatus(CrlScheduleRoute.ROUTE_ID))
                    .isEqualTo(ServiceStatus.Started);
            Trigger trigger = camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .getTrigger(TriggerKey.triggerKey("crl-full", "egovpki"));
            assertThat(trigger).as("the Quartz trigger of the CRL route").isNotNull();
            ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("Asia/Shanghai"));
            assertThat(next.getHour()).isZero();
            assertThat(next.getMinute()).isZero();
            assertThat(Duration.between(ZonedDateTime.now(), next)).isBetween(Duration.ZERO, Duration.ofDays(1));
        } finally {
            camel.stop();
        }
    }

    /** A reload's new schedule and zone replace the Quartz trigger; the route runs on under its id. */
    @Test
    void aNewScheduleAndZoneReplaceTheTrigger() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri("0 0 0 * * ?"));
        properties.setProperty("egovpki.crl.timeZone", "Asia/Shanghai");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind(CrlScheduleRoute.JOBS_BEAN, new RecordingJobs());
        camel.addRoutes(new CrlScheduleRoute());
        try {
            camel.start();

            new CrlTimings(camel).reschedule("0 30 2 * * ?", ZoneId.of("UTC"));

            assertThat(camel.getRouteController().getRouteStatus(CrlScheduleRoute.ROUTE_ID))
                    .isEqualTo(ServiceStatus.Started);
            Trigger trigger = camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                    .getTrigger(TriggerKey.triggerKey("crl-full", "egovpki"));
            assertThat(trigger).as("the Quartz trigger of the CRL route").isNotNull();
            ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("UTC"));
            assertThat(next.getHour()).isEqualTo(2);
            assertThat(next.getMinute()).isEqualTo(30);
            assertThat(Duration.between(ZonedDateTime.now(), next)).isBetween(Duration.ZERO, Duration.ofDays(1));
        } finally {
            camel.stop();
        }
    }

    @Test
    void cronSpacesBecomePlusSignsForTheEndpointUri() {
        assertThat(CrlScheduleRoute.cronForUri(" 0  30 1 * * ? ")).isEqualTo("0+30+1+*+*+?");
    }
}
