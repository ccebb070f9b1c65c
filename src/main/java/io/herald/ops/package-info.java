/**
 * Operations: the worker registry and its heartbeats ({@link io.herald.ops.WorkerActivity} is what workers report,
 * {@link io.herald.ops.WorkerDirectory} what readers see), queue depths and lag from the transport, the Micrometer
 * gauges an operator scrapes, the broker's readiness probe and the operations summary ({@link io.herald.ops.OpsService}).
 */
package io.herald.ops;
