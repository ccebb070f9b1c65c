package io.herald.transport;

/** Whether the transport's broker answered a health probe, and what it said or why not (for the health details). */
public record BrokerCheck(String transport, boolean up, String detail) {
}
