package io.herald.web;

import java.util.List;

import io.herald.ops.OpsService;
import io.herald.ops.OpsSummary;
import io.herald.ops.WorkerDirectory;
import io.herald.ops.WorkerInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What an operator watches: the worker processes and the operations summary (role viewer in secure mode). */
@RestController
@Tag(name = "Operations", description = "Worker processes, queue depths, throughput, failures and provider health")
class OpsController {
    private final WorkerDirectory workers;
    private final OpsService ops;

    OpsController(WorkerDirectory workers, OpsService ops) {
        this.workers = workers;
        this.ops = ops;
    }

    record WorkersView(List<WorkerInfo> items) {
    }

    @GetMapping("/workers")
    @Operation(summary = "Worker processes, newest first",
            description = "Every process with the worker role registers at start and sends a heartbeat every"
                    + " herald.ops.heartbeat-interval; state is alive, lost (silent for more than herald.ops.lost-after)"
                    + " or stopped (shut down cleanly). Rows are forgotten a day after their last heartbeat.")
    WorkersView workers() {
        return new WorkersView(workers.list());
    }

    @GetMapping("/ops/summary")
    @Operation(summary = "Operations summary",
            description = "Queue depths (Kafka: consumer-group lag), messages per second (last 10 s), messages sent and"
                    + " failed per minute over the last hour, failures in the last minute per channel and provider, dead"
                    + " letters, campaigns sending, worker counts and provider circuit breakers. Broker depths are at"
                    + " most herald.ops.queue-depth-cache old; a broker that is down shows no queues.")
    OpsSummary summary() {
        return ops.summary();
    }
}
