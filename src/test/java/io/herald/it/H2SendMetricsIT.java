package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.herald.testsupport.DashboardQueries;
import io.herald.testsupport.PrometheusText;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;

/** The send metrics on embedded H2 with the in-process transport, and the dashboard's metric names. */
class H2SendMetricsIT extends AbstractSendMetricsIT {
    H2SendMetricsIT() {
        super(TestDatabase.H2, "inmemory");
    }

    /**
     * Every metric that deploy/grafana/herald.json queries exists in a running Herald's scrape after a small send,
     * so that no panel stays empty because of a misspelt or renamed metric.
     */
    @Test
    void everyMetricTheDashboardQueriesIsExported() {
        String tag = "d" + UUID.randomUUID().toString().substring(0, 6);
        addRecipients(tag, 20);
        awaitStatus(createAndSend(tag), "COMPLETED");
        api.get("/campaigns");

        List<String> exprs = DashboardQueries.expressions(Path.of("deploy/grafana/herald.json"));
        assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThanOrEqualTo(7);
        Set<String> needed = new TreeSet<>();
        exprs.forEach(expr -> needed.addAll(DashboardQueries.metricNames(expr)));
        assertThat(needed).contains("herald_messages_total", "herald_provider_call_seconds_bucket", "herald_queue_depth",
                "herald_workers", "herald_campaigns", "herald_circuit_breaker_state");

        PrometheusText scrape = scrape();
        assertThat(DashboardQueries.missing(needed, scrape))
                .as("metrics the dashboard queries but /actuator/prometheus lacks").isEmpty();
    }
}
